using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Trainer.Tests.Augmentation;

/// <summary>
/// The augmentation with its linear steps folded together (bytes to [0, 1] into brightness, grayscale and
/// normalisation into one colour matrix, the blur moved after them) against the steps one after another as
/// torchvision defines them, on real CIFAR-10 images and the same draws.
/// </summary>
public class FoldedAugmentationTests
{
    private static readonly Normalization Cifar = new([0.49f, 0.48f, 0.45f], [0.25f, 0.24f, 0.26f]);
    private static readonly Lazy<Tensor> Images = new(LoadImages);

    [Theory]
    [InlineData(0.0, 0.2)]
    [InlineData(0.5, 0.2)]
    [InlineData(1.0, 1.0)]
    public void FoldedStepsGiveTheSequentialViews(double blur, double grayscale)
    {
        var config = new TrainingConfig { BlurProbability = blur, GrayscaleProbability = grayscale, Hue = 0.1 };
        var (folded, sequential) = Both(config, seed: 3);
        double difference = (folded - sequential).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"folded views differ from the sequential ones by up to {difference:G3}");
    }

    [Fact]
    public void SolarisedViewsAgreeExceptAtTheThreshold()
    {
        var config = new TrainingConfig { SolarizeProbability = 1, BlurProbability = 0.5 };
        var (folded, sequential) = Both(config, seed: 4);
        var far = (folded - sequential).abs().gt(1e-4);
        double fraction = far.to_type(ScalarType.Float32).mean().item<float>();
        // A pixel within rounding of 0.5 may land on either side of the threshold in the two orders of operations.
        Assert.True(fraction < 1e-4, $"{fraction:P4} of the values differ");
    }

    private static (Tensor Folded, Tensor Sequential) Both(TrainingConfig config, int seed)
    {
        var images = Images.Value;
        var folded = new ViewAugmentation(config, Cifar).Apply(images, new Generator((ulong)seed));
        var drawn = ViewParameters.Sample(config, (int)images.shape[0], config.ImageSize, new Generator((ulong)seed));
        var sequential = Sequential(images, drawn, config, Cifar);
        Assert.Equal(sequential.shape, folded.shape);
        return (folded, sequential);
    }

    /// <summary>The augmentation step by step, as it was written before the folding.</summary>
    private static Tensor Sequential(Tensor images, ViewParameters p, TrainingConfig config, Normalization normalization)
    {
        int batch = p.Batch, size = config.ImageSize;
        Tensor Column(float[] values) => tensor(values).view(batch, 1, 1, 1);
        var x = images.to_type(ScalarType.Float32).div_(255.0);
        var grid = F.affine_grid(tensor(p.Theta, [batch, 2, 3]), [batch, 3, size, size], align_corners: false);
        x = F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        if (config.ColorJitterProbability > 0)
        {
            x = (x * Column(p.Brightness)).clamp_(0, 1);
            var mean = ColorSpace.Grayscale(x).mean([1, 2, 3], keepdim: true);
            x = ((x - mean) * Column(p.Contrast) + mean).clamp_(0, 1);
            var grey = ColorSpace.Grayscale(x);
            x = ((x - grey) * Column(p.Saturation) + grey).clamp_(0, 1);
            var (hue, saturation, value) = ColorSpace.RgbToHsv(x);
            x = ColorSpace.HsvToRgb((hue + tensor(p.HueShift).view(batch, 1, 1)).remainder(1.0), saturation, value);
        }
        x = where(tensor(p.Grayscale).view(batch, 1, 1, 1), ColorSpace.Grayscale(x).expand_as(x), x);
        if (p.BlurKernels is { } kernels)
        {
            int k = p.BlurKernelSize, pad = k / 2;
            var perChannel = tensor(kernels, [batch, k]).repeat_interleave(3, dim: 0);
            var planes = x.reshape(1, batch * 3, size, size);
            planes = F.conv2d(F.pad(planes, [pad, pad, 0, 0], TorchSharp.PaddingModes.Reflect), perChannel.view(batch * 3, 1, 1, k), groups: batch * 3);
            planes = F.conv2d(F.pad(planes, [0, 0, pad, pad], TorchSharp.PaddingModes.Reflect), perChannel.view(batch * 3, 1, k, 1), groups: batch * 3);
            x = planes.view(batch, 3, size, size);
        }
        if (config.SolarizeProbability > 0) x = where(tensor(p.Solarize).view(batch, 1, 1, 1).logical_and(x >= 0.5), 1 - x, x);
        return normalization.Apply(x);
    }

    private static Tensor LoadImages()
    {
        var files = Directory.GetFiles(Path.Combine(SharedCifar10.Root, "test"), "*.jpg", SearchOption.AllDirectories).Order().Take(256).ToArray();
        var bytes = new byte[files.Length * 3 * 32 * 32];
        for (int i = 0; i < files.Length; i++) ImageFolderDataset.DecodeInto(files[i], 32, bytes.AsSpan(i * 3072, 3072));
        return tensor(bytes, [files.Length, 3, 32, 32]).DetachFromDisposeScope();
    }
}
