using AspireSimClr.Trainer.Engine;

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

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        var errors = SimClrConfigValidator.Validate(new SimClrConfig { DataDir = "/d", BatchSize = 0, Epochs = 0, Optimizer = "rmsprop" });
        Assert.Equal([nameof(SimClrConfig.Epochs), nameof(SimClrConfig.BatchSize), nameof(SimClrConfig.Optimizer)], errors.Select(e => e.Field));
    }
}
