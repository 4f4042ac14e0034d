using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Tests.Augmentation;

public class RemainingTimeEstimateTests
{
    [Fact]
    public void WithoutProgressiveResolutionItIsTheMeanEpochTimesTheEpochsLeft()
    {
        var estimate = new RemainingTimeEstimate(new TrainingConfig { ImageSize = 32, Epochs = 10 });
        Assert.Equal(TimeSpan.Zero, estimate.After(0));
        estimate.Add(0, TimeSpan.FromSeconds(10));
        estimate.Add(1, TimeSpan.FromSeconds(14));
        Assert.Equal(TimeSpan.FromSeconds(8 * 12), estimate.After(2));
    }

    [Fact]
    public void SidesNotTrainedYetAreScaledByPixelsFromTheLargestMeasuredSide()
    {
        // 16 → 32 px over 4 epochs of 6: sides 16, 20, 24, 28, 32, 32.
        var config = new TrainingConfig { ImageSize = 32, Epochs = 6, ProgressiveResolutionStart = 16, ProgressiveResolutionEpochs = 4 };
        var estimate = new RemainingTimeEstimate(config);
        estimate.Add(0, TimeSpan.FromSeconds(8));
        // 8 s at 16 px: 20² / 16² · 8 + 24² / 16² · 8 + 28² / 16² · 8 + 2 · 32² / 16² · 8 = 12.5 + 18 + 24.5 + 64 s.
        Assert.Equal(119, estimate.After(1).TotalSeconds, precision: 6);
        estimate.Add(1, TimeSpan.FromSeconds(10));
        estimate.Add(2, TimeSpan.FromSeconds(12));
        // The 24-px epoch now scales the rest: 28² / 24² · 12 + 2 · 32² / 24² · 12.
        Assert.Equal(12.0 * 28 * 28 / 576 + 2 * 12.0 * 1024 / 576, estimate.After(3).TotalSeconds, precision: 6);
        estimate.Add(4, TimeSpan.FromSeconds(17));
        // A measured side is its own mean: epoch 3 (28 px) scaled from the largest, 32 px; epochs 4 and 5 the 32-px mean.
        Assert.Equal(17.0 * 28 * 28 / 1024 + 2 * 17, estimate.After(3).TotalSeconds, precision: 6);
    }

    [Fact]
    public void SmallCropsKeepTheirCostWhileTheFullSizeViewsGrow()
    {
        // 16 → 32 px over 2 epochs of 3, with four 16-px crops: an image's views hold 2·16² + 4·16² = 1,536 pixels in
        // epoch 0 and 2·32² + 4·16² = 3,072 in epoch 2 (24 px in epoch 1: 2,176).
        var config = new TrainingConfig { ImageSize = 32, Epochs = 3, ProgressiveResolutionStart = 16, ProgressiveResolutionEpochs = 2, SmallCrops = 4, SmallCropSize = 16 };
        var estimate = new RemainingTimeEstimate(config);
        estimate.Add(0, TimeSpan.FromSeconds(6));
        Assert.Equal(6.0 * 2176 / 1536 + 6.0 * 3072 / 1536, estimate.After(1).TotalSeconds, precision: 6);
    }

    [Fact]
    public void AnEpochResumedMidwayCountsAsTheWholeEpochItWouldHaveTaken()
    {
        var estimate = new RemainingTimeEstimate(new TrainingConfig { ImageSize = 32, Epochs = 4 });
        estimate.Add(1, TimeSpan.FromSeconds(5), fractionTrained: 0.25);
        Assert.Equal(TimeSpan.FromSeconds(2 * 20), estimate.After(2));
        Assert.Equal(TimeSpan.Zero, estimate.After(4));
    }
}
