using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Models;

/// <summary>A backbone mapping images [B, 3, H, W] to representations [B, FeatureDim].</summary>
public abstract class Encoder(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract int FeatureDim { get; }
}

public static class EncoderFactory
{
    public static Encoder Create(string model, int imageSize) => model switch
    {
        ModelNames.TinyCnn => new TinyCnn(imageSize),
        ModelNames.CompactCnn => new CompactCnn(),
        ModelNames.ResNet18 => new ResNet18Cifar(),
        _ => throw new InvalidConfigException([new ConfigError(nameof(SimClrConfig.Model), $"unknown model '{model}'; choose one of {string.Join(", ", ModelNames.All)}.")]),
    };
}
