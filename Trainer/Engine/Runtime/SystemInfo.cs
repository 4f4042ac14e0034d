using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Runtime;

public sealed record SystemInfo(
    string DefaultDevice, bool CudaAvailable, int CudaDevices, int TorchThreads, int ProcessorCount,
    long ResidentBytes, long PeakResidentBytes, long TotalMemoryBytes,
    string TorchSharpVersion, string DotnetVersion, string OperatingSystem)
{
    public static SystemInfo Read()
    {
        bool available = cuda.is_available();
        var (rss, peak) = ProcessMemory.Read();
        return new SystemInfo(
            available ? "cuda" : "cpu", available, available ? (int)cuda.device_count() : 0, get_num_threads(), Environment.ProcessorCount,
            rss, peak, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription);
    }
}
