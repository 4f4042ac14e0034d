namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Writes a file through a temporary file beside it renamed into place, so a reader sees the old file or the whole new one,
/// whatever a crash or a full disk interrupts; the temporary file is removed when the write fails. Each write has a
/// temporary file of its own (process id and a random part), so two writers of one path, in one process or in two
/// containers that are each process 1, do not remove each other's: the last rename wins. A process killed mid-write
/// (SIGKILL, power loss) leaves its temporary file; the next write of the same path removes those of processes that are gone.
/// </summary>
public static class AtomicFile
{
    /// <param name="flushToDisk">Have the bytes on disk before the rename (a checkpoint that replaces the only good one).</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = false) => WriteThrough(path, temporary =>
    {
        using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk);
    });

    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>For a writer that takes a path rather than a stream (TorchSharp's save_py).</summary>
    public static void WriteThrough(string path, Action<string> writeTo)
    {
        RemoveAbandonedTemporaries(path);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            writeTo(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // A temporary file is named {path}.{pid}.{guid}.tmp. One whose process still runs, this one included, may be a write in
    // progress (another container's process 1 shares this process's id, so it is kept too).
    private static void RemoveAbandonedTemporaries(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) return;
        foreach (var temporary in Directory.EnumerateFiles(folder, Path.GetFileName(path) + ".*.tmp"))
        {
            var parts = Path.GetFileName(temporary)[(Path.GetFileName(path).Length + 1)..].Split('.');
            if (parts is not [var pidText, { Length: 32 }, "tmp"] || !int.TryParse(pidText, out var pid)) continue;
            if (pid == Environment.ProcessId || LocalProcess.IsRunning(pid)) continue;
            try { File.Delete(temporary); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }
}
