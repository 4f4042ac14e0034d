using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Tests.Training;

public class SimClrConfigValidatorTests
{
    [Fact]
    public void DefaultsAreValidWithADataFolder() =>
        Assert.Empty(SimClrConfigValidator.Validate(new SimClrConfig { DataDir = "/data" }));

    [Theory]
    [InlineData(nameof(SimClrConfig.BatchSize), "negatives")]
    [InlineData(nameof(SimClrConfig.Temperature), "greater than 0")]
    [InlineData(nameof(SimClrConfig.Model), "not one of")]
    [InlineData(nameof(SimClrConfig.Device), "cuda:N")]
    [InlineData(nameof(SimClrConfig.FlipProbability), "probability")]
    [InlineData(nameof(SimClrConfig.Precision), "fp32, bf16")]
    [InlineData(nameof(SimClrConfig.DataDir), "required")]
    public void EachBadSettingIsNamed(string field, string messagePart)
    {
        var config = field switch
        {
            nameof(SimClrConfig.BatchSize) => new SimClrConfig { DataDir = "/d", BatchSize = 1 },
            nameof(SimClrConfig.Temperature) => new SimClrConfig { DataDir = "/d", Temperature = 0 },
            nameof(SimClrConfig.Model) => new SimClrConfig { DataDir = "/d", Model = "vgg99" },
            nameof(SimClrConfig.Device) => new SimClrConfig { DataDir = "/d", Device = "gpu" },
            nameof(SimClrConfig.Precision) => new SimClrConfig { DataDir = "/d", Precision = "fp16" },
            nameof(SimClrConfig.FlipProbability) => new SimClrConfig { DataDir = "/d", FlipProbability = 1.5 },
            _ => new SimClrConfig { DataDir = null },
        };
        var error = Assert.Single(SimClrConfigValidator.Validate(config));
        Assert.Equal(field, error.Field);
        Assert.Contains(messagePart, error.Message);
    }

    public static TheoryData<string, SimClrConfig> AbusiveValues() => new()
    {
        { nameof(SimClrConfig.Threads), new SimClrConfig { DataDir = "/d", Threads = 10_000 } },
        { nameof(SimClrConfig.Threads), new SimClrConfig { DataDir = "/d", Threads = Environment.ProcessorCount + 1 } },
        { nameof(SimClrConfig.SyntheticTrainSize), new SimClrConfig { Dataset = "synthetic", SyntheticTrainSize = 1_000_000_000 } },
        { nameof(SimClrConfig.SyntheticTrainSize), new SimClrConfig { Dataset = "synthetic", SyntheticTrainSize = 900_000, ImageSize = 64 } },
        { nameof(SimClrConfig.LinearProbeEpochs), new SimClrConfig { DataDir = "/d", LinearProbeEpochs = 1_000_000_000 } },
        { nameof(SimClrConfig.Epochs), new SimClrConfig { DataDir = "/d", Epochs = int.MaxValue } },
        { nameof(SimClrConfig.BatchSize), new SimClrConfig { DataDir = "/d", BatchSize = 1_000_000 } },
        { nameof(SimClrConfig.KnnK), new SimClrConfig { Dataset = "synthetic", SyntheticTrainSize = 100, KnnK = 101 } },
        { nameof(SimClrConfig.KnnK), new SimClrConfig { DataDir = "/d", TrainSubset = 500, KnnK = 501 } },
        { nameof(SimClrConfig.ProjectionDim), new SimClrConfig { DataDir = "/d", ProjectionDim = 1 << 30 } },
        { nameof(SimClrConfig.EncoderWidth), new SimClrConfig { DataDir = "/d", EncoderWidth = 64 } },
        { nameof(SimClrConfig.EncoderWidth), new SimClrConfig { DataDir = "/d", EncoderWidth = double.NaN } },
        { nameof(SimClrConfig.EncoderWidth), new SimClrConfig { DataDir = "/d", EncoderWidth = 0 } },
        { nameof(SimClrConfig.TrainSubset), new SimClrConfig { DataDir = "/d", TrainSubset = int.MaxValue } },
        { nameof(SimClrConfig.LearningRate), new SimClrConfig { DataDir = "/d", LearningRate = 1e300 } },
        { nameof(SimClrConfig.DataDir), new SimClrConfig { DataDir = new string('a', 5000) } },
        { nameof(SimClrConfig.Device), new SimClrConfig { DataDir = "/d", Device = "cuda:" + new string('9', 100) } },
    };

    [Theory]
    [MemberData(nameof(AbusiveValues))]
    public void ValuesThatWouldAbuseTheMachineAreRefusedByName(string field, SimClrConfig config)
    {
        var error = Assert.Single(SimClrConfigValidator.Validate(config));
        Assert.Equal(field, error.Field);
        Assert.True(error.Message.Length < 300, "an echoed value is shortened");
    }

    [Fact]
    public void LimitsStillAllowRealRuns()
    {
        Assert.Empty(SimClrConfigValidator.Validate(new SimClrConfig
        {
            DataDir = "/d", Threads = Environment.ProcessorCount, BatchSize = 4096, Epochs = 1000, LinearProbeEpochs = 1000, KnnK = 200, TrainSubset = 50_000,
        }));
        Assert.Empty(SimClrConfigValidator.Validate(new SimClrConfig { Dataset = "synthetic", SyntheticTrainSize = 200_000, SyntheticTestSize = 10_000 }));
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        var errors = SimClrConfigValidator.Validate(new SimClrConfig { DataDir = "/d", BatchSize = 0, Epochs = 0, Optimizer = "rmsprop" });
        Assert.Equal([nameof(SimClrConfig.Epochs), nameof(SimClrConfig.BatchSize), nameof(SimClrConfig.Optimizer)], errors.Select(e => e.Field));
    }
}
