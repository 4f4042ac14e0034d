using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;

namespace AspireSimClr.Trainer.Tests.Augmentation;

public class CropOverlapTests
{
    [Fact]
    public void WholeImageCropsOverlapCompletely()
    {
        var whole = new TrainingConfig { CropScaleMin = 1, CropScaleMax = 1, CropRatioMin = 1, CropRatioMax = 1 };
        var overlap = CropOverlap.Measure(whole, whole, pairs: 500, seed: 1);
        Assert.Equal(1.0, overlap.MeanIou, 6);
        Assert.Equal(0, overlap.ShareNothing);
    }

    [Fact]
    public void TinyCropsMostlyShareNothing()
    {
        var tiny = new TrainingConfig { CropScaleMin = 0.01, CropScaleMax = 0.02 };
        var overlap = CropOverlap.Measure(tiny, tiny, pairs: 2000, seed: 1);
        Assert.True(overlap.ShareNothing > 0.8, $"{overlap.ShareNothing:P1} of tiny crop pairs share nothing");
        Assert.True(overlap.MeanIou < 0.02, $"mean IoU {overlap.MeanIou}");
    }

    [Fact]
    public void HalfSideCropsOverlapAsExpectedForUniformPlacement()
    {
        // Two half-side squares placed uniformly always overlap along each axis by 0.5 - |u - v| (u, v uniform in
        // [0, 0.5]); the mean IoU that gives is 0.316 (Monte Carlo, 200,000 pairs).
        var half = new TrainingConfig { CropScaleMin = 0.25, CropScaleMax = 0.25, CropRatioMin = 1, CropRatioMax = 1 };
        var overlap = CropOverlap.Measure(half, half, pairs: 4000, seed: 3);
        Assert.True(overlap.ShareNothing < 0.01, $"{overlap.ShareNothing:P1} of half-side pairs share nothing");
        Assert.InRange(overlap.MeanIou, 0.30, 0.33);
    }

    [Fact]
    public void TheDefaultCropsDoNotWarn()
    {
        var overlap = CropOverlap.Measure(new TrainingConfig(), new TrainingConfig(), pairs: 4096, seed: 42);
        Assert.True(overlap.ShareNothing < SettingsAdvisor.DisjointCropsLimit, $"{overlap.ShareNothing:P1} of default pairs share nothing");
    }
}
