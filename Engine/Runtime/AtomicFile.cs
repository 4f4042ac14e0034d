namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Writes a file through a temporary file beside it (named with the process id) renamed into place, so a reader sees the old
/// file or the whole new one; the temporary file is removed when the write fails.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = File.Create(temporary)) write(stream);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
