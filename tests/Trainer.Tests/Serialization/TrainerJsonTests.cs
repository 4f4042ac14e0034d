using System.Text.Json;

namespace AspireSimClr.Trainer.Tests.Serialization;

public class TrainerJsonTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();

    [Fact]
    public void AConfigRoundTripsThroughTheSourceGeneratedMetadata()
    {
        var config = new TrainingConfig
        {
            Dataset = DatasetNames.ImageFolder, DataDir = "/photos", TrainSubset = 1000, Model = ModelNames.ResNet18,
            LearningRate = 0.3, Optimizer = OptimizerNames.Lars, Precision = PrecisionNames.Bf16, ChannelsLast = true, Seed = 7,
        };
        string json = JsonSerializer.Serialize(config, Options.TypeInfo<TrainingConfig>());
        Assert.Equal(config, JsonSerializer.Deserialize(json, Options.TypeInfo<TrainingConfig>()));
    }

    [Fact]
    public void SettingsMissingFromTheJsonKeepTheirDefaults()
    {
        var config = JsonSerializer.Deserialize("""{"epochs": 3, "unknownSetting": 1}""", Options.TypeInfo<TrainingConfig>())!;
        Assert.Equal(new TrainingConfig { Epochs = 3 }, config);
    }

    [Fact]
    public void ABadValueNamesItsSetting()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"batchSize": "big"}""", Options.TypeInfo<TrainingConfig>()));
        Assert.Contains("'batchSize'", error.Message);
    }
}
