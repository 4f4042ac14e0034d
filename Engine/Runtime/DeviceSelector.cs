using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>Turns the config's device choice (auto, cpu, cuda, cuda:N) into a TorchSharp device.</summary>
public static class DeviceSelector
{
    // Read once: it loads libraries and asks ldconfig, and the answer does not change while the process runs.
    private static readonly Lazy<string> WhyNoCuda = new(CudaDiagnosis.Explain);

    /// <summary>The devices this process can train on: cpu, then cuda:0, cuda:1, … (what a trainer worker advertises).</summary>
    public static IReadOnlyList<string> Available() =>
        ["cpu", .. Enumerable.Range(0, cuda.is_available() ? (int)cuda.device_count() : 0).Select(i => $"cuda:{i}")];

    /// <summary>Whether a run asking for <paramref name="choice"/> can train here (auto and cpu always can).</summary>
    public static bool CanRun(string choice, IReadOnlyList<string> available) => choice switch
    {
        "auto" or "cpu" => true,
        "cuda" => available.Any(d => d.StartsWith("cuda:", StringComparison.Ordinal)),
        _ => available.Contains(choice),
    };

    public static Device Resolve(string choice)
    {
        if (choice == "cpu") return CPU;
        bool cudaAvailable = cuda.is_available();
        if (choice == "auto") return cudaAvailable ? CUDA : CPU;
        if (!cudaAvailable)
            throw new InvalidConfigException([new ConfigError(nameof(TrainingConfig.Device),
                $"'{choice}' was asked for but CUDA is not available: {WhyNoCuda.Value} Use 'auto' or 'cpu'.")]);
        if (choice == "cuda") return CUDA;
        int index = int.Parse(choice["cuda:".Length..]);
        int count = (int)cuda.device_count();
        if (index >= count)
            throw new InvalidConfigException([new ConfigError(nameof(TrainingConfig.Device), $"'{choice}' does not exist: this machine has {count} CUDA device(s).")]);
        return new Device(TorchSharp.DeviceType.CUDA, index);
    }

    /// <summary>
    /// On a GPU: cuDNN benchmark mode (our input shapes are fixed, so the one-off autotuning pays back).
    /// Matrix multiplies stay fp32 (libtorch's default), so NT-Xent's similarities and the evaluation
    /// are exact; convolutions use TF32 on Ampere and newer, libtorch's default for cuDNN.
    /// </summary>
    public static void UseFastKernels(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) CudnnBenchmark.TrySet(true);
    }

    /// <summary>bf16 needs a GPU with bf16 tensor cores (compute capability 8.0, Ampere, or newer); cuDNN has no bf16 convolutions below.</summary>
    public static void ThrowIfPrecisionUnsupported(string precision, Device device)
    {
        if (precision != PrecisionNames.Bf16 || device.type != TorchSharp.DeviceType.CUDA) return;
        if (CudaDriver.ComputeCapability(Ordinal(device)) is { Major: < 8 } capability)
            throw new InvalidConfigException([new ConfigError(nameof(TrainingConfig.Precision),
                $"bf16 needs a GPU of compute capability 8.0 (Ampere) or newer; {Describe(device)} has {capability}. Use fp32.")]);
    }

    /// <summary>"CPU", or the GPU's name as its driver reports it.</summary>
    public static string Describe(Device device) => device.type == TorchSharp.DeviceType.CUDA
        ? Gpu(device)?.Name ?? "CUDA device"
        : "CPU";

    /// <summary>GPU memory held by this process (or, where the driver cannot attribute it, in use on the whole GPU); null on the CPU.</summary>
    public static long? MemoryInUse(Device device)
    {
        var gpu = Gpu(device);
        return gpu?.ProcessBytes ?? gpu?.UsedBytes;
    }

    /// <summary>The driver's view of a CUDA device; null on the CPU or without a driver.</summary>
    private static GpuDevice? Gpu(Device device) =>
        device.type == TorchSharp.DeviceType.CUDA ? NvidiaGpus.ForCudaDevice(Ordinal(device)) : null;

    // A Device made from plain "cuda" has index -1, meaning the current device, 0 here.
    private static int Ordinal(Device device) => Math.Max(0, device.index);

    /// <summary>Waits for the device's queued work (a GPU runs asynchronously); nothing to wait for on a CPU.</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }

    public static void ApplyThreads(int threads)
    {
        if (threads > 0) set_num_threads(threads);
    }
}
