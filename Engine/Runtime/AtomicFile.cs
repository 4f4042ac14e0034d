namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Writes a file through a temporary file beside it (named with the process id) renamed into place, so a reader sees the old
/// file or the whole new one, whatever a crash or a full disk interrupts; the temporary file is removed when the write fails.
/// </summary>
public static class AtomicFile
{
    /// <param name="flushToDisk">Have the bytes on disk before the rename (a checkpoint that replaces the only good one).</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = false) => WriteThrough(path, temporary =>
    {
        using var stream = File.Create(temporary);
        write(stream);
        stream.Flush(flushToDisk);
    });

    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>For a writer that takes a path rather than a stream (TorchSharp's save_py).</summary>
    public static void WriteThrough(string path, Action<string> writeTo)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
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
}
