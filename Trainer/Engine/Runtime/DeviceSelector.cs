using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Runtime;

/// <summary>Turns the config's device choice (auto, cpu, cuda, cuda:N) into a TorchSharp device.</summary>
public static class DeviceSelector
{
    public static Device Resolve(string choice)
    {
        if (choice == "cpu") return CPU;
        bool cudaAvailable = cuda.is_available();
        if (choice == "auto") return cudaAvailable ? CUDA : CPU;
        if (!cudaAvailable)
            throw new InvalidConfigException([new ConfigError(nameof(SimClrConfig.Device),
                $"'{choice}' was asked for but CUDA is not available in this build or on this machine (libtorch CPU build, or no NVIDIA GPU/driver). Use 'auto' or 'cpu'.")]);
        if (choice == "cuda") return CUDA;
        int index = int.Parse(choice["cuda:".Length..]);
        int count = (int)cuda.device_count();
        if (index >= count)
            throw new InvalidConfigException([new ConfigError(nameof(SimClrConfig.Device), $"'{choice}' does not exist: this machine has {count} CUDA device(s).")]);
        return new Device(TorchSharp.DeviceType.CUDA, index);
    }

    /// <summary>
    /// On a GPU: cuDNN benchmark mode (our input shapes are fixed, so the one-off autotuning pays back)
    /// and TF32 matrix multiplies (cuDNN convolutions already default to TF32 in libtorch).
    /// </summary>
    public static void UseFastKernels(Device device)
    {
        if (device.type != TorchSharp.DeviceType.CUDA) return;
        CudnnBenchmark.TrySet(true);
        backends.cuda.matmul.allow_tf32 = true;
    }

    /// <summary>"CPU", or the GPU's name as its driver reports it.</summary>
    public static string Describe(Device device) => device.type == TorchSharp.DeviceType.CUDA
        ? NvidiaGpus.Read().FirstOrDefault(g => g.Index == Math.Max(0, device.index))?.Name ?? "CUDA device"
        : "CPU";

    /// <summary>GPU memory held by this process (or, where the driver cannot attribute it, in use on the whole GPU); null on the CPU.</summary>
    public static long? MemoryInUse(Device device)
    {
        if (device.type != TorchSharp.DeviceType.CUDA) return null;
        var gpu = NvidiaGpus.Read().FirstOrDefault(g => g.Index == Math.Max(0, device.index));
        return gpu?.ProcessBytes ?? gpu?.UsedBytes;
    }

    public static void ApplyThreads(int threads)
    {
        if (threads > 0) set_num_threads(threads);
    }
}
