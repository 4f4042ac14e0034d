using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Trainer.Tests.Support;
using SkiaSharp;

namespace AspireSimClr.Trainer.Tests.Augmentation;

public class AugmentationPreviewTests
{
    private static readonly TrainingConfig Synthetic = new() { Dataset = DatasetNames.Synthetic, ImageSize = 16 };

    private static SKColor[] Pixels(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a PNG");
        return bitmap.Pixels;
    }

    [Fact]
    public void EachSampleShowsTheImageAndOneDrawOfEveryViewAtTheImageSize()
    {
        var preview = AugmentationPreviewer.Render(Synthetic, images: 4);
        Assert.Equal(4, preview.Samples.Count);
        Assert.Equal(["view 1", "view 2"], preview.Views);
        Assert.All(preview.Samples, sample =>
        {
            Assert.NotNull(sample.ClassName);
            Assert.Equal(2, sample.Views.Count);
            foreach (var png in sample.Views.Prepend(sample.Original))
            {
                using var bitmap = SKBitmap.Decode(png);
                Assert.Equal((16, 16), (bitmap.Width, bitmap.Height));
            }
            Assert.NotEqual(Pixels(sample.Views[0]), Pixels(sample.Views[1]));
        });
    }

    [Fact]
    public void SmallCropsAreShownAtTheirOwnSizeAfterTheFullSizeViews()
    {
        var preview = AugmentationPreviewer.Render(Synthetic with { Model = ModelNames.CompactCnn, SmallCrops = 2, SmallCropSize = 8 }, images: 2);
        Assert.Equal(["view 1", "view 2", "view 3 (small crop, 8 px)", "view 4 (small crop, 8 px)"], preview.Views);
        Assert.All(preview.Samples, sample => Assert.Equal([16, 16, 8, 8], sample.Views.Select(png =>
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(bitmap.Width, bitmap.Height);
            return bitmap.Width;
        })));
    }

    [Theory]
    [InlineData(12, "view 1 (8 px in the first epoch, growing to 12)")]
    [InlineData(8, "view 1 (8 px throughout)")]
    public void TheViewsDescriptionNamesTheEndSideTheyGrowTo(int end, string expected)
    {
        var config = Synthetic with { Model = ModelNames.CompactCnn, Epochs = 4, ProgressiveResolutionStart = 8, ProgressiveResolutionEnd = end };
        Assert.Equal(expected, AugmentationPreviewer.Render(config, images: 1).Views[0]);
    }

    [Fact]
    public void UnderProgressiveResolutionTheFullSizeViewsAreShownAtTheFirstEpochsSide()
    {
        var config = Synthetic with { Model = ModelNames.CompactCnn, Epochs = 4, ProgressiveResolutionStart = 8, SmallCrops = 1, SmallCropSize = 8 };
        var preview = AugmentationPreviewer.Render(config, images: 1);
        Assert.Equal(["view 1 (8 px in the first epoch, growing to 16)", "view 2 (8 px in the first epoch, growing to 16)", "view 3 (small crop, 8 px)"], preview.Views);
        Assert.Equal([8, 8, 8], preview.Samples[0].Views.Select(png =>
        {
            using var bitmap = SKBitmap.Decode(png);
            return bitmap.Width;
        }));
    }

    [Fact]
    public void WithEveryAugmentationOffEachViewIsTheImageItself()
    {
        var still = Synthetic with
        {
            CropScaleMin = 1, CropScaleMax = 1, CropRatioMin = 1, CropRatioMax = 1, FlipProbability = 0,
            ColorJitterProbability = 0, GrayscaleProbability = 0, BlurProbability = 0,
        };
        var preview = AugmentationPreviewer.Render(still, images: 3);
        Assert.All(preview.Samples, sample =>
        {
            var original = Pixels(sample.Original);
            foreach (var view in sample.Views)
            {
                var pixels = Pixels(view);
                for (int i = 0; i < original.Length; i++)
                    Assert.InRange(Math.Abs(pixels[i].Red - original[i].Red) + Math.Abs(pixels[i].Green - original[i].Green) + Math.Abs(pixels[i].Blue - original[i].Blue), 0, 3);
            }
        });
    }

    [Fact]
    public void GreyscaleWithProbabilityOneGivesGreyViewsOfColouredImages()
    {
        var preview = AugmentationPreviewer.Render(Synthetic with { GrayscaleProbability = 1, ImageSize = 32 }, images: 2);
        Assert.All(preview.Samples, sample => Assert.All(sample.Views, view =>
            Assert.All(Pixels(view), p => Assert.True(Math.Abs(p.Red - p.Green) <= 1 && Math.Abs(p.Green - p.Blue) <= 1, $"pixel {p} is not grey"))));
    }

    [Fact]
    public void TheSameDrawGivesTheSameViewsAndAnotherDrawOthers()
    {
        var first = AugmentationPreviewer.Render(Synthetic, images: 2, draw: 0);
        var again = AugmentationPreviewer.Render(Synthetic, images: 2, draw: 0);
        var next = AugmentationPreviewer.Render(Synthetic, images: 2, draw: 1);
        Assert.Equal(first.Samples[0].Views[0], again.Samples[0].Views[0]);
        Assert.NotEqual(Pixels(first.Samples[0].Views[0]), Pixels(next.Samples[0].Views[0]));
        Assert.Equal(Synthetic.Seed + 1, next.Seed);
    }

    [Fact]
    public void ByolsSecondViewIsTheSolarisedOne()
    {
        var preview = AugmentationPreviewer.Render(Synthetic with { Method = MethodNames.Byol, SolarizeProbability = 0.2 }, images: 1);
        Assert.Equal(["view 1", "view 2 (solarised with p 0.2)"], preview.Views);
    }

    [Fact]
    public void ImagesFromAFolderAreSpreadOverItsClasses()
    {
        using var temp = new TempDirectory();
        var colours = new Dictionary<string, SKColor> { ["red"] = SKColors.Red, ["green"] = SKColors.Lime, ["blue"] = SKColors.Blue };
        foreach (var (name, colour) in colours)
        {
            Directory.CreateDirectory(temp.Combine("train", name));
            for (int i = 0; i < 5; i++)
            {
                using var bitmap = new SKBitmap(20, 20);
                bitmap.Erase(colour);
                File.WriteAllBytes(temp.Combine("train", name, $"{i}.png"), bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
            }
        }
        var config = new TrainingConfig { Dataset = DatasetNames.ImageFolder, DataDir = temp.Path, ImageSize = 16 };
        var preview = AugmentationPreviewer.Render(config, images: 3);

        Assert.Equal(["blue", "green", "red"], preview.Samples.Select(s => s.ClassName!).Order());
        Assert.All(preview.Samples, sample => Assert.All(Pixels(sample.Original), p => Assert.Equal(colours[sample.ClassName!], p)));
        Assert.Contains(preview.Advice, a => a.Code == "no-test-split");
    }
}
