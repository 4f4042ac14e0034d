using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Augmentation;

public class ProgressiveResolutionTests
{
    [Theory]
    // 16 → 32 px over 4 epochs of 8: 16, 20, 24, 28, then the image size.
    [InlineData(16, 4, 8, new[] { 16, 20, 24, 28, 32, 32, 32, 32 })]
    // Over the first half by default (5 of 10 epochs), in steps of 4 px: 16 + 16·e/5 rounded down to a multiple of 4.
    [InlineData(16, null, 10, new[] { 16, 16, 20, 24, 28, 32, 32, 32, 32, 32 })]
    // A start off the 4-px grid is kept until the ramp passes the next step.
    [InlineData(18, 2, 4, new[] { 18, 24, 32, 32 })]
    public void TheSideGrowsFromTheStartToTheImageSizeOverTheRamp(int start, int? rampEpochs, int epochs, int[] expected)
    {
        var config = new TrainingConfig { ImageSize = 32, Epochs = epochs, ProgressiveResolutionStart = start, ProgressiveResolutionEpochs = rampEpochs };
        Assert.Equal(expected, Enumerable.Range(0, epochs).Select(e => ProgressiveResolution.SideAt(config, e)));
    }

    [Theory]
    // 16 → 28 px over 4 epochs of 8 (16 + 12·e/4 rounded down to a multiple of 4), then 28 px to the end.
    [InlineData(16, 28, 4, 8, new[] { 16, 16, 20, 24, 28, 28, 28, 28 })]
    // An end equal to the start trains at that side throughout.
    [InlineData(24, 24, null, 4, new[] { 24, 24, 24, 24 })]
    public void TheSideGrowsToTheEndSideAndKeepsIt(int start, int end, int? rampEpochs, int epochs, int[] expected)
    {
        var config = new TrainingConfig { ImageSize = 32, Epochs = epochs, ProgressiveResolutionStart = start, ProgressiveResolutionEnd = end, ProgressiveResolutionEpochs = rampEpochs };
        Assert.Equal(expected, Enumerable.Range(0, epochs).Select(e => ProgressiveResolution.SideAt(config, e)));
    }

    [Fact]
    public void WithoutAStartEveryEpochSeesTheImageSize()
    {
        var config = new TrainingConfig { ImageSize = 24, Epochs = 6 };
        Assert.All(Enumerable.Range(0, 6), e => Assert.Equal(24, ProgressiveResolution.SideAt(config, e)));
    }

    [Theory]
    [InlineData(1, 10, 2, 0)]
    [InlineData(5, 10, 2, 0)]
    [InlineData(6, 10, 2, 1)]
    [InlineData(10, 10, 2, 1)]
    [InlineData(7, 9, 3, 2)]
    public void AStepsEpochFollowsFromItsPlaceInTheRun(long step, long totalSteps, int epochs, int expected) =>
        Assert.Equal(expected, new TrainingProgress(step, totalSteps).EpochOf(epochs));

    /// <summary>SimCLR that records the side of the full-size views and of every view group it is given.</summary>
    private sealed class SideRecorder(TrainingConfig config) : ISslMethod
    {
        private readonly ISslMethod _inner = SslMethods.Create(config, CPU);
        public List<long> FullSizeSides { get; } = [];
        public OnlineNetwork Online => _inner.Online;
        public IReadOnlyList<TrainingConfig> Views => _inner.Views;

        public Tensor Loss(MethodBatch batch)
        {
            FullSizeSides.Add(batch.FullSizeViews.shape[2]);
            return _inner.Loss(batch);
        }

        public void AfterStep(TrainingProgress progress) => _inner.AfterStep(progress);
        public void SaveState(BinaryWriter writer) => _inner.SaveState(writer);
        public void LoadState(BinaryReader reader) => _inner.LoadState(reader);
        public void Dispose() => _inner.Dispose();
    }

    [Fact]
    public void TheTrainingStepShowsTheNetworkTheFullSizeViewsAtTheEpochsSide()
    {
        // 3 epochs of 2 steps; 8, 12, then 16 px; two small crops of 8 px beside them throughout.
        var config = TrainingRuns.Quick(epochs: 3) with
        {
            Model = ModelNames.CompactCnn, ProgressiveResolutionStart = 8, ProgressiveResolutionEpochs = 2, SmallCrops = 2, SmallCropSize = 8, Precision = PrecisionNames.Fp32,
        };
        Assert.Equal([8L, 8, 12, 12, 16, 16], FullSizeSidesOfSixSteps(config));
    }

    [Fact]
    public void WithAnEndBelowTheImageSizeTheLastEpochsTrainAtTheEndSide()
    {
        // 3 epochs of 2 steps on 16-px images: 8 px, then 12 px (the end side) for the last two epochs.
        var config = TrainingRuns.Quick(epochs: 3) with
        {
            Model = ModelNames.CompactCnn, ProgressiveResolutionStart = 8, ProgressiveResolutionEnd = 12, ProgressiveResolutionEpochs = 1, Precision = PrecisionNames.Fp32,
        };
        Assert.Empty(TrainingConfigValidator.Validate(config));
        Assert.Equal([8L, 8, 12, 12, 12, 12], FullSizeSidesOfSixSteps(config));
    }

    /// <summary>The full-size views' side in each of six training steps on eight random 16-px images (a run of 6 steps).</summary>
    private static List<long> FullSizeSidesOfSixSteps(TrainingConfig config)
    {
        using var method = new SideRecorder(config);
        using var online = FlatNetwork.Adopt(method.Online);
        using var optimizer = OptimizerFactory.Create(config, online);
        using var step = new TrainingStep(config, method, online, optimizer, new Normalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]), CPU);
        method.Online.train();
        using var generator = new Generator(3);
        using var images = randint(0, 256, [8, 3, 16, 16], dtype: ScalarType.Byte, generator: generator);
        for (int s = 1; s <= 6; s++) step.Run(images, generator, new TrainingProgress(s, 6), readLoss: false);
        return method.FullSizeSides;
    }
}

public class ProgressiveResolutionValidationTests
{
    [Fact]
    public void AStartAtOrAboveTheImageSizeOrBelowTheSmallCropsARampAsLongAsTheRunAndTinyCnnAreRefusedByName()
    {
        var compact = TrainingRuns.Quick(epochs: 4) with { Model = ModelNames.CompactCnn };
        Assert.Empty(TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, ProgressiveResolutionEpochs = 3 }));
        Assert.Empty(TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, SmallCrops = 2, SmallCropSize = 8 }));

        var atImageSize = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 16 });
        Assert.Contains("below the image size, 16 px", Assert.Single(atImageSize, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionStart)).Message);

        // A ramp as long as the run would end it without an epoch at the image size.
        var tooLong = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, ProgressiveResolutionEpochs = 4 });
        Assert.Contains("below the run's 4 epochs", Assert.Single(tooLong, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionEpochs)).Message);
        var oneEpoch = TrainingConfigValidator.Validate(compact with { Epochs = 1, ProgressiveResolutionStart = 8 });
        Assert.Contains("at least 2 epochs", Assert.Single(oneEpoch, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionStart)).Message);
        var rampWithoutStart = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionEpochs = 2 });
        Assert.Contains("only with progressiveResolutionStart", Assert.Single(rampWithoutStart, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionEpochs)).Message);
        var belowSmallCrops = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, SmallCrops = 2, SmallCropSize = 12 });
        Assert.Contains("at least the small crops' size, 12 px", Assert.Single(belowSmallCrops, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionStart)).Message);

        var tiny = TrainingConfigValidator.Validate(TrainingRuns.Quick() with { ProgressiveResolutionStart = 8 });
        Assert.Contains("tiny-cnn flattens", Assert.Single(tiny, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionStart)).Message);

        var belowBounds = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 4 });
        Assert.Single(belowBounds, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionStart));
    }

    [Fact]
    public void AnEndBelowTheStartAboveTheImageSizeOrWithoutAStartIsRefusedByName()
    {
        var compact = TrainingRuns.Quick(epochs: 4) with { Model = ModelNames.CompactCnn };
        Assert.Empty(TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, ProgressiveResolutionEnd = 12 }));
        Assert.Empty(TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, ProgressiveResolutionEnd = 8 }));
        Assert.Empty(TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, ProgressiveResolutionEnd = 16 }));

        var belowStart = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 12, ProgressiveResolutionEnd = 8 });
        Assert.Contains("at least progressiveResolutionStart, 12 px", Assert.Single(belowStart, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionEnd)).Message);
        var aboveImageSize = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionStart = 8, ProgressiveResolutionEnd = 20 });
        Assert.Contains("at most the image size, 16 px", Assert.Single(aboveImageSize, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionEnd)).Message);
        var withoutStart = TrainingConfigValidator.Validate(compact with { ProgressiveResolutionEnd = 12 });
        Assert.Contains("only with progressiveResolutionStart", Assert.Single(withoutStart, e => e.Field == nameof(TrainingConfig.ProgressiveResolutionEnd)).Message);
    }
}
