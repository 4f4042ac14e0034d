using TorchSharp;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Why CUDA is not available to this process, in words a user can act on: TorchSharp's own loader message
/// (from <c>torch.InitializeDeviceType(DeviceType.CUDA)</c>), where libtorch was loaded from, whether a
/// libtorch_cuda.so sits beside it, what dlopen says when that library is loaded, and which of its
/// dependencies the dynamic loader cannot find.
/// </summary>
public static class CudaDiagnosis
{
    public static string Explain()
    {
        var reasons = new List<string>();
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            if (!torch.cuda.is_available()) reasons.Add("libtorch loaded its CUDA backend but reports no usable GPU (no NVIDIA driver or device visible: check nvidia-smi and CUDA_VISIBLE_DEVICES).");
        }
        catch (Exception ex)
        {
            reasons.Add("TorchSharp's loader: " + Summary(ex.Message));
        }
        var loaded = SharedLibraryDependencies.Loaded();
        if (!loaded.TryGetValue("libtorch_cpu.so", out var torchCpu))
        {
            reasons.Add("libtorch is not loaded in this process.");
            return string.Join(" ", reasons);
        }
        var folder = Path.GetDirectoryName(torchCpu)!;
        var torchCuda = new[] { folder }
            .Concat((Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => Path.Combine(f, "libtorch_cuda.so"))
            .FirstOrDefault(File.Exists);
        if (torchCuda is null)
        {
            reasons.Add($"libtorch was loaded from {folder}, which has no libtorch_cuda.so (a CPU-only libtorch): use a CUDA build (-p:TorchBackend=external with a CUDA PyTorch on LD_LIBRARY_PATH, or TorchBackend=cuda).");
            return string.Join(" ", reasons);
        }
        try
        {
            System.Runtime.InteropServices.NativeLibrary.Free(System.Runtime.InteropServices.NativeLibrary.Load(torchCuda));
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            reasons.Add("Loading it: " + ex.Message.Trim());
        }
        try
        {
            var missing = SharedLibraryDependencies.Unresolved(torchCuda, loaded.ContainsKey);
            reasons.Add(missing.Count == 0
                ? $"{torchCuda} and all its direct dependencies are found."
                : $"{torchCuda} needs libraries the loader does not find: {string.Join(", ", missing)} (add their folders to LD_LIBRARY_PATH).");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            reasons.Add($"{torchCuda} could not be read: {ex.Message}");
        }
        return string.Join(" ", reasons);
    }

    /// <summary>The loader's first line and the components it failed to load (its trace also lists every attempt).</summary>
    private static string Summary(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var failed = lines.Where(l => l.StartsWith("Failed to load native component", StringComparison.Ordinal))
            .Select(l => l.Split(" relative to ")[0].Replace("Failed to load native component ", "", StringComparison.Ordinal))
            .Distinct().ToList();
        var first = lines.FirstOrDefault()?.Replace(" Trace from LoadNativeBackend:", "", StringComparison.Ordinal) ?? "";
        return failed.Count == 0 ? first : $"{first} It could not load: {string.Join(", ", failed)}.";
    }
}
