using AspireSimClr.Engine.Export;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Engine.Models;

/// <summary>
/// A small VGG-style encoder for CPU budgets: four Conv3×3–BN–ReLU stages (32 s2, 64 s2, 128 s1,
/// 256 s2 on a 32×32 input: 16², 8², 8², 4² feature maps) and global average pooling to 256-d;
/// a width multiplier scales every stage (cost grows with its square).
/// About 10.8 M multiply-adds per 32×32 image (counted by <see cref="Runtime.FlopCounter"/>), a fiftieth of ResNet-18's.
/// </summary>
public sealed class CompactCnn : Encoder, IOnnxExportable
{
    private readonly TorchSharp.Modules.Sequential features;

    private readonly int featureDim;

    public CompactCnn(double width = 1.0) : base(nameof(CompactCnn))
    {
        int[] channels = [.. new[] { 32, 64, 128, 256 }.Select(c => EncoderFactory.Channels(c, width))];
        featureDim = channels[3];
        features = Sequential(
            Stage(3, channels[0], stride: 2),
            Stage(channels[0], channels[1], stride: 2),
            Stage(channels[1], channels[2], stride: 1),
            Stage(channels[2], channels[3], stride: 2),
            AdaptiveAvgPool2d(1),
            Flatten());
        RegisterComponents();
    }

    public override int FeatureDim => featureDim;

    public override Tensor forward(Tensor x) => features.call(x);

    string IOnnxExportable.ExportOnnx(OnnxGraph graph, string input) => graph.Layer(features, input);

    private static TorchSharp.Modules.Sequential Stage(int input, int output, int stride) => Sequential(
        Conv2d(input, output, kernel_size: 3, stride: stride, padding: 1, bias: false),
        BatchNorm2d(output),
        ReLU(inplace: true));
}
