using System.Diagnostics;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Resident memory of this process. On Linux it is split into anonymous memory (the process's own:
/// heaps, tensors) and file-backed pages (mapped files such as the image-folder cache, which the
/// kernel can drop and read again), from /proc/self/status.
/// </summary>
public sealed record MemoryUsage(long ResidentBytes, long PeakResidentBytes, long? AnonymousBytes, long? FileBackedBytes);

public static class ProcessMemory
{
    public static MemoryUsage Read()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            long rss = 0, peak = 0;
            long? anonymous = null, fileBacked = null;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line);
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anonymous = Kilobytes(line);
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal)) fileBacked = Kilobytes(line);
            }
            return new MemoryUsage(rss, peak, anonymous, fileBacked);
        }
        using var process = Process.GetCurrentProcess();
        return new MemoryUsage(process.WorkingSet64, process.PeakWorkingSet64, null, null);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
