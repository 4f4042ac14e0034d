using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Tests.Training;

public class TrainingConfigValidatorTests
{
    [Fact]
    public void DefaultsAreValidWithADataFolder() =>
        Assert.Empty(TrainingConfigValidator.Validate(new TrainingConfig { DataDir = "/data" }));

    [Theory]
    [InlineData(nameof(TrainingConfig.BatchSize), "negatives")]
    [InlineData(nameof(TrainingConfig.Temperature), "greater than 0")]
    [InlineData(nameof(TrainingConfig.Model), "not one of")]
    [InlineData(nameof(TrainingConfig.Device), "cuda:N")]
    [InlineData(nameof(TrainingConfig.FlipProbability), "probability")]
    [InlineData(nameof(TrainingConfig.Precision), "fp32, bf16")]
    [InlineData(nameof(TrainingConfig.DataDir), "required")]
    public void EachBadSettingIsNamed(string field, string messagePart)
    {
        var config = field switch
        {
            nameof(TrainingConfig.BatchSize) => new TrainingConfig { DataDir = "/d", BatchSize = 1 },
            nameof(TrainingConfig.Temperature) => new TrainingConfig { DataDir = "/d", Temperature = 0 },
            nameof(TrainingConfig.Model) => new TrainingConfig { DataDir = "/d", Model = "vgg99" },
            nameof(TrainingConfig.Device) => new TrainingConfig { DataDir = "/d", Device = "gpu" },
            nameof(TrainingConfig.Precision) => new TrainingConfig { DataDir = "/d", Precision = "fp16" },
            nameof(TrainingConfig.FlipProbability) => new TrainingConfig { DataDir = "/d", FlipProbability = 1.5 },
            _ => new TrainingConfig { DataDir = null },
        };
        var error = Assert.Single(TrainingConfigValidator.Validate(config));
        Assert.Equal(field, error.Field);
        Assert.Contains(messagePart, error.Message);
    }

    public static TheoryData<string, TrainingConfig> AbusiveValues() => new()
    {
        { nameof(TrainingConfig.Threads), new TrainingConfig { DataDir = "/d", Threads = 10_000 } },
        { nameof(TrainingConfig.Threads), new TrainingConfig { DataDir = "/d", Threads = Environment.ProcessorCount + 1 } },
        { nameof(TrainingConfig.SyntheticTrainSize), new TrainingConfig { Dataset = "synthetic", SyntheticTrainSize = 1_000_000_000 } },
        { nameof(TrainingConfig.SyntheticTrainSize), new TrainingConfig { Dataset = "synthetic", SyntheticTrainSize = 900_000, ImageSize = 64 } },
        { nameof(TrainingConfig.LinearProbeEpochs), new TrainingConfig { DataDir = "/d", LinearProbeEpochs = 1_000_000_000 } },
        { nameof(TrainingConfig.Epochs), new TrainingConfig { DataDir = "/d", Epochs = int.MaxValue } },
        { nameof(TrainingConfig.BatchSize), new TrainingConfig { DataDir = "/d", BatchSize = 1_000_000 } },
        { nameof(TrainingConfig.KnnK), new TrainingConfig { Dataset = "synthetic", SyntheticTrainSize = 100, KnnK = 101 } },
        { nameof(TrainingConfig.KnnK), new TrainingConfig { DataDir = "/d", TrainSubset = 500, KnnK = 501 } },
        { nameof(TrainingConfig.ProjectionDim), new TrainingConfig { DataDir = "/d", ProjectionDim = 1 << 30 } },
        { nameof(TrainingConfig.EncoderWidth), new TrainingConfig { DataDir = "/d", EncoderWidth = 64 } },
        { nameof(TrainingConfig.EncoderWidth), new TrainingConfig { DataDir = "/d", EncoderWidth = double.NaN } },
        { nameof(TrainingConfig.EncoderWidth), new TrainingConfig { DataDir = "/d", EncoderWidth = 0 } },
        { nameof(TrainingConfig.TrainSubset), new TrainingConfig { DataDir = "/d", TrainSubset = int.MaxValue } },
        { nameof(TrainingConfig.LearningRate), new TrainingConfig { DataDir = "/d", LearningRate = 1e300 } },
        { nameof(TrainingConfig.DataDir), new TrainingConfig { DataDir = new string('a', 5000) } },
        { nameof(TrainingConfig.Device), new TrainingConfig { DataDir = "/d", Device = "cuda:" + new string('9', 100) } },
    };

    [Theory]
    [MemberData(nameof(AbusiveValues))]
    public void ValuesThatWouldAbuseTheMachineAreRefusedByName(string field, TrainingConfig config)
    {
        var error = Assert.Single(TrainingConfigValidator.Validate(config));
        Assert.Equal(field, error.Field);
        Assert.True(error.Message.Length < 300, "an echoed value is shortened");
    }

    [Fact]
    public void LimitsStillAllowRealRuns()
    {
        Assert.Empty(TrainingConfigValidator.Validate(new TrainingConfig
        {
            DataDir = "/d", Threads = Environment.ProcessorCount, BatchSize = 4096, Epochs = 1000, LinearProbeEpochs = 1000, KnnK = 200, TrainSubset = 50_000,
        }));
        Assert.Empty(TrainingConfigValidator.Validate(new TrainingConfig { Dataset = "synthetic", SyntheticTrainSize = 200_000, SyntheticTestSize = 10_000 }));
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        var errors = TrainingConfigValidator.Validate(new TrainingConfig { DataDir = "/d", BatchSize = 0, Epochs = 0, Optimizer = "rmsprop" });
        Assert.Equal([nameof(TrainingConfig.Epochs), nameof(TrainingConfig.BatchSize), nameof(TrainingConfig.Optimizer)], errors.Select(e => e.Field));
    }
}
