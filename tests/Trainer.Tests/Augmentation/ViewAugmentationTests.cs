using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Augmentation;

public class ViewAugmentationTests
{
    private static readonly Normalization Identity = new([0f, 0f, 0f], [1f, 1f, 1f]);

    private static Tensor SameImageEightTimes()
    {
        using var generator = new Generator(7);
        using var one = randint(0, 256, [1, 3, 32, 32], dtype: ScalarType.Byte, generator: generator);
        return one.expand(8, -1, -1, -1).contiguous();
    }

    [Fact]
    public void EachImageInABatchGetsItsOwnRandomParameters()
    {
        using var images = SameImageEightTimes();
        using var generator = new Generator(1);
        using var views = new ViewAugmentation(new TrainingConfig(), Identity).Apply(images, generator);
        for (int i = 0; i < 8; i++)
            for (int j = i + 1; j < 8; j++)
                Assert.False(views[i].allclose(views[j]), $"views {i} and {j} of the same image are identical");
    }

    [Fact]
    public void SameSeedGivesSameViewsAndAnotherSeedDifferentViews()
    {
        using var images = SameImageEightTimes();
        var augmentation = new ViewAugmentation(new TrainingConfig(), Identity);
        using var a = augmentation.Apply(images, new Generator(5));
        using var b = augmentation.Apply(images, new Generator(5));
        using var c = augmentation.Apply(images, new Generator(6));
        Assert.True(Tensors.Identical(a, b));
        Assert.False(a.allclose(c));
    }

    [Fact]
    public void WithEveryAugmentationOffTheViewIsTheNormalisedImage()
    {
        var config = new TrainingConfig
        {
            CropScaleMin = 1, CropScaleMax = 1, CropRatioMin = 1, CropRatioMax = 1,
            FlipProbability = 0, ColorJitterProbability = 0, GrayscaleProbability = 0,
        };
        var normalization = new Normalization([0.5f, 0.4f, 0.3f], [0.2f, 0.25f, 0.3f]);
        using var images = SameImageEightTimes();
        using var view = new ViewAugmentation(config, normalization).Apply(images, new Generator(3));
        using var expected = normalization.Apply(images.to_type(ScalarType.Float32) / 255);
        Assert.True(view.allclose(expected, rtol: 0, atol: 1e-4), "identity crop should reproduce the input");
    }

    [Fact]
    public void FlipWithProbabilityOneMirrorsTheImage()
    {
        var config = new TrainingConfig
        {
            CropScaleMin = 1, CropScaleMax = 1, CropRatioMin = 1, CropRatioMax = 1,
            FlipProbability = 1, ColorJitterProbability = 0, GrayscaleProbability = 0,
        };
        using var images = SameImageEightTimes();
        using var view = new ViewAugmentation(config, Identity).Apply(images, new Generator(3));
        using var expected = (images.to_type(ScalarType.Float32) / 255).flip(3);
        Assert.True(view.allclose(expected, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void GrayscaleWithProbabilityOneMakesChannelsEqual()
    {
        var config = new TrainingConfig { GrayscaleProbability = 1 };
        using var images = SameImageEightTimes();
        using var view = new ViewAugmentation(config, Identity).Apply(images, new Generator(3));
        Assert.True(view[.., 0].allclose(view[.., 1], atol: 1e-6) && view[.., 1].allclose(view[.., 2], atol: 1e-6));
    }

    [Fact]
    public void CropsZoomIn()
    {
        // A small crop (area 10 %) of a left-dark / right-bright image is mostly uniform; the full image is not.
        var config = new TrainingConfig
        {
            CropScaleMin = 0.1, CropScaleMax = 0.1, FlipProbability = 0, ColorJitterProbability = 0, GrayscaleProbability = 0,
        };
        using var images = zeros(16, 3, 32, 32, dtype: ScalarType.Byte);
        images[.., .., .., TensorIndex.Slice(16)] = tensor((byte)255);
        using var view = new ViewAugmentation(config, Identity).Apply(images, new Generator(9));
        var spread = (view.amax([1, 2, 3]) - view.amin([1, 2, 3])).data<float>().ToArray();
        Assert.Contains(spread, s => s < 0.05f);
    }

    [Fact]
    public void HsvConversionRoundTrips()
    {
        using var generator = new Generator(11);
        using var rgb = rand([4, 3, 8, 8], generator: generator);
        var (h, s, v) = ColorSpace.RgbToHsv(rgb);
        using var back = ColorSpace.HsvToRgb(h, s, v);
        Assert.True(back.allclose(rgb, atol: 1e-5));
    }

    [Fact]
    public void TheCompactHueShiftEqualsShiftingTheHueInHsv()
    {
        using var generator = new Generator(12);
        using var rgb = rand([16, 3, 8, 8], generator: generator);
        rgb[0] = rgb[0][0].unsqueeze(0).expand(3, -1, -1).clone();   // greys: no hue
        rgb[1] = rgb[1].round();                                        // pure and secondary colours, ties between channels
        using var shift = (rand([16, 1, 1, 1], generator: generator) - 0.5) * 0.4;
        using var constants = ColorSpace.HueConstants.On(CPU);
        using var compact = ColorSpace.ShiftHue(rgb, shift, constants);
        var (h, s, v) = ColorSpace.RgbToHsv(rgb);
        using var reference = ColorSpace.HsvToRgb((h + shift.view(16, 1, 1)).remainder(1.0), s, v);
        double difference = (compact - reference).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"the compact hue shift is {difference:G3} from the HSV one");
    }

    [Fact]
    public void OutputHasTheConfiguredSizeAndIsFinite()
    {
        var config = new TrainingConfig { ImageSize = 24, BlurProbability = 1 };
        using var images = SameImageEightTimes();
        using var view = new ViewAugmentation(config, Identity).Apply(images, new Generator(2));
        Assert.Equal(new long[] { 8, 3, 24, 24 }, view.shape);
        Assert.True(view.isfinite().all().item<bool>());
    }

    [Fact]
    public void NormalizationStatisticsStopWhenCancelled()
    {
        using var images = zeros([4, 3, 8, 8], ScalarType.Byte);
        Assert.ThrowsAny<OperationCanceledException>(() => Normalization.Compute(images, new CancellationToken(canceled: true)));
    }
}
