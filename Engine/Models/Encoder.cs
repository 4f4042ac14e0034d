using static TorchSharp.torch;

namespace AspireSimClr.Engine.Models;

/// <summary>A backbone mapping images [B, 3, H, W] to representations [B, FeatureDim].</summary>
public abstract class Encoder(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract int FeatureDim { get; }
}

public static class EncoderFactory
{
    /// <summary>A channel count scaled by the width multiplier, rounded to a multiple of 8 (vector width) and at least 8.</summary>
    public static int Channels(int baseChannels, double width) =>
        width == 1.0 ? baseChannels : Math.Max(8, (int)Math.Round(baseChannels * width / 8) * 8);

    public static Encoder Create(string model, int imageSize, double width = 1.0) => model switch
    {
        ModelNames.TinyCnn => new TinyCnn(imageSize, width),
        ModelNames.CompactCnn => new CompactCnn(width),
        ModelNames.ResNet18 => new ResNet18Cifar(width),
        _ => throw new InvalidConfigException([new ConfigError(nameof(TrainingConfig.Model), $"unknown model '{model}'; choose one of {string.Join(", ", ModelNames.All)}.")]),
    };
}
