using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>The precision and memory layout a run computes with, after "auto" is resolved, and why.</summary>
public sealed record RuntimeChoice(string Precision, bool ChannelsLast, string Reason)
{
    /// <summary>
    /// auto picks bf16 (fp32 master weights) where the hardware computes bfloat16 natively: a CPU with AVX-512 BF16
    /// or AMX (1.7–2× the fp32 speed at the same accuracy, see README), a GPU of compute capability 8.0 or newer.
    /// Elsewhere bf16 is emulated and slower, so auto stays fp32. The layout follows: channels-last on a CPU in
    /// either precision (oneDNN's preferred layout; 1.1–1.3× in fp32 on this project's CPU) and with bf16 on a GPU
    /// (tensor cores), NCHW for fp32 on a GPU. Explicit settings are kept.
    /// </summary>
    public static RuntimeChoice Resolve(TrainingConfig config, Device device)
    {
        bool gpu = device.type == TorchSharp.DeviceType.CUDA;
        var (nativeBf16, hardware) = gpu ? Gpu(device) : Cpu();
        return Resolve(config, nativeBf16, cpu: !gpu, hardware);
    }

    public static RuntimeChoice Resolve(TrainingConfig config, bool nativeBf16, bool cpu, string hardware)
    {
        bool autoPrecision = config.Precision == PrecisionNames.Auto;
        string precision = autoPrecision ? nativeBf16 ? PrecisionNames.Bf16 : PrecisionNames.Fp32 : config.Precision;
        bool channelsLast = config.ChannelsLast ?? (cpu || precision == PrecisionNames.Bf16);
        string reason = autoPrecision
            ? nativeBf16 ? $"auto: {hardware} computes bf16 natively" : $"auto: {hardware} has no native bf16"
            : "as configured";
        return new RuntimeChoice(precision, channelsLast, reason);
    }

    /// <summary>The config with precision and layout made concrete, as checkpoints keep it (a resume computes the same way).</summary>
    public TrainingConfig ApplyTo(TrainingConfig config) => config with { Precision = Precision, ChannelsLast = ChannelsLast };

    private static (bool, string) Cpu() => CpuFeatures.Bf16Flag is { } flag ? (true, $"the CPU ({flag})") : (false, "the CPU");

    private static (bool, string) Gpu(Device device) =>
        CudaDriver.ComputeCapability(Math.Max(0, device.index)) is { } capability
            ? (capability.Major >= 8, $"{DeviceSelector.Describe(device)} (compute capability {capability})")
            : (false, DeviceSelector.Describe(device));
}
