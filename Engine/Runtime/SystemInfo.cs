using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>Reads <see cref="SystemInfo"/> off this process and machine.</summary>
public static class SystemInfoReader
{
    public static SystemInfo Read()
    {
        bool available = cuda.is_available();
        var (rss, peak, _, _) = ProcessMemory.Read();
        return new SystemInfo(
            available ? "cuda" : "cpu", available, available ? (int)cuda.device_count() : 0,
            available && cuda.is_cudnn_available(), NvidiaGpus.Read(), get_num_threads(), Environment.ProcessorCount, ReadCpuName(),
            rss, peak, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription);
    }

    private static string ReadCpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        var line = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line?[(line.IndexOf(':') + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
