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

    public static void ApplyThreads(int threads)
    {
        if (threads > 0) set_num_threads(threads);
    }
}
