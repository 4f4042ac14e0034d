using AspireSimClr.Engine;
using AspireSimClr.Engine.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireSimClr.Trainer.Tests.Serialization;

/// <summary>The one description of every setting, and the config's JSON shapes (version 2 tree, version 1 flat).</summary>
public class ConfigSchemaTests
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();

    private static readonly TrainingConfig Changed = new()
    {
        Method = MethodNames.Byol, TargetMomentum = 0.996, Dataset = DatasetNames.ImageFolder, DataDir = "/photos", TrainSubset = 1000,
        Model = ModelNames.ResNet18, EncoderWidth = 0.5, BatchSize = 512, LearningRate = 0.3, Optimizer = OptimizerNames.Lars,
        SolarizeProbability = 0.2, LinearProbe = false, Precision = PrecisionNames.Bf16, ChannelsLast = true, Seed = 7,
    };

    [Fact]
    public void EverySettingIsDescribedOnceWithAUniquePathFlagAndAValidDefault()
    {
        var settings = ConfigSchema.Settings;
        Assert.Equal(typeof(TrainingConfig).GetProperties().Count(p => p.CanWrite), settings.Count);
        Assert.Equal(settings.Count, settings.Select(s => s.Path).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(settings.Count, settings.Select(s => s.CliFlag).Distinct().Count());
        Assert.All(settings, s => Assert.Contains(s.Section, ConfigSections.All));
        Assert.All(settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Help), $"{s.Name} has no help"));
        Assert.All(settings.Where(s => s.Choices is not null), s => Assert.Contains((string)s.Default!, s.Choices!));
        Assert.All(settings.Where(s => s.Default is int or double && s.DescribeBounds() is not null),
            s => Assert.True(s.InBounds(Convert.ToDouble(s.Default)), $"{s.Name}'s default {s.Default} is outside {s.DescribeBounds()}"));
        Assert.All(settings.SelectMany(s => s.Methods), m => Assert.Contains(m, MethodNames.All));
        Assert.Empty(TrainingConfigValidator.Validate(new TrainingConfig { DataDir = "/d" }));

        Assert.Equal("schedule.batchSize", ConfigSchema.Setting(nameof(TrainingConfig.BatchSize)).Path);
        Assert.Equal("method.name", ConfigSchema.Setting(nameof(TrainingConfig.Method)).Path);
        Assert.Equal("--batch-size", ConfigSchema.Setting(nameof(TrainingConfig.BatchSize)).CliFlag);
        Assert.Same(ConfigSchema.Setting(nameof(TrainingConfig.BatchSize)), ConfigSchema.Find("BATCHSIZE"));
        Assert.Same(ConfigSchema.Setting(nameof(TrainingConfig.EncoderWidth)), ConfigSchema.Find("backbone.width"));
        Assert.True(ConfigSchema.Setting(nameof(TrainingConfig.QueueSize)).AppliesTo(MethodNames.MocoV2));
        Assert.False(ConfigSchema.Setting(nameof(TrainingConfig.QueueSize)).AppliesTo(MethodNames.SimClr));
        Assert.True(ConfigSchema.Setting(nameof(TrainingConfig.Epochs)).AppliesTo(MethodNames.Vicreg));
    }

    [Fact]
    public void TheValidatorEnforcesTheDescribedBounds()
    {
        var momentum = ConfigSchema.Setting(nameof(TrainingConfig.Momentum));
        Assert.Equal("at least 0 and less than 1", momentum.DescribeBounds());
        var error = Assert.Single(TrainingConfigValidator.Validate(new TrainingConfig { DataDir = "/d", Momentum = 1 }));
        Assert.Equal((nameof(TrainingConfig.Momentum), "must be at least 0 and less than 1 (got 1)."), (error.Field, error.Message));
        var queue = Assert.Single(TrainingConfigValidator.Validate(new TrainingConfig { DataDir = "/d", QueueSize = 0 }));
        Assert.Contains("512 MiB", queue.Message);
        var method = Assert.Single(TrainingConfigValidator.Validate(new TrainingConfig { DataDir = "/d", Method = "swav" }));
        Assert.Equal("'swav' is not one of: simclr, byol, moco-v2, vicreg, barlow-twins, dino.", method.Message);
    }

    [Fact]
    public void AConfigIsWrittenAsAVersionedTreeAndReadBack()
    {
        string json = JsonSerializer.Serialize(Changed, Options.TypeInfo<TrainingConfig>());
        var tree = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(["version", .. ConfigSections.All], tree.Select(p => p.Key));
        Assert.Equal(ConfigSchema.CurrentVersion, (int)tree["version"]!);
        Assert.Equal("byol", (string)tree["method"]!["name"]!);
        Assert.Equal(512, (int)tree["schedule"]!["batchSize"]!);
        Assert.Equal(0.5, (double)tree["backbone"]!["width"]!);
        Assert.Null(tree["data"]!["cacheDir"]);
        Assert.Equal(Changed, JsonSerializer.Deserialize(json, Options.TypeInfo<TrainingConfig>()));
        // The same shape through the contract's own options, as the dashboard reads runs.
        Assert.Equal(Changed, JsonSerializer.Deserialize<TrainingConfig>(json, ContractJson.Options));
    }

    [Fact]
    public void FlatVersionOneConfigsAreReadInAnyCaseAsBefore()
    {
        // What the run store (camelCase) and checkpoints (PascalCase) held before the tree: every setting at the top level.
        var camel = new JsonObject();
        var pascal = new JsonObject();
        foreach (var setting in ConfigSchema.Settings.Where(s => s.Name != nameof(TrainingConfig.Method)))
        {
            camel[setting.FlatJsonName] = JsonSerializer.SerializeToNode(setting.ValueIn(Changed));
            pascal[setting.Name] = JsonSerializer.SerializeToNode(setting.ValueIn(Changed));
        }
        var expected = Changed with { Method = MethodNames.SimClr };   // version 1 had no method: SimCLR
        Assert.Equal(expected, JsonSerializer.Deserialize(camel.ToJsonString(), Options.TypeInfo<TrainingConfig>()));
        // Checkpoints: the engine's own options, no naming policy.
        var checkpointOptions = new JsonSerializerOptions().WithEngineTypes();
        Assert.Equal(expected, JsonSerializer.Deserialize(pascal.ToJsonString(), (System.Text.Json.Serialization.Metadata.JsonTypeInfo<TrainingConfig>)checkpointOptions.GetTypeInfo(typeof(TrainingConfig))));
    }

    [Fact]
    public void MissingSettingsKeepDefaultsAndUnknownOnesAreSkipped()
    {
        var config = JsonSerializer.Deserialize("""{"version": 2, "schedule": {"epochs": 3, "later": 1}, "telemetry": {"x": 1}, "unknownSetting": 1}""",
            Options.TypeInfo<TrainingConfig>())!;
        Assert.Equal(new TrainingConfig { Epochs = 3 }, config);
        Assert.Equal(new TrainingConfig { Epochs = 4 }, JsonSerializer.Deserialize("""{"epochs": 4}""", Options.TypeInfo<TrainingConfig>()));
    }

    [Theory]
    [InlineData("""{"batchSize": "big"}""", "'batchSize'")]
    [InlineData("""{"version": 2, "schedule": {"batchSize": 1.5}}""", "'schedule.batchSize'")]
    [InlineData("""{"version": 2, "schedule": {"epochs": null}}""", "'schedule.epochs'")]
    [InlineData("""{"version": 3}""", "newer AspireSimClr")]
    [InlineData("""[1, 2]""", "JSON object")]
    public void ABadConfigIsRefusedWithItsSettingNamed(string json, string messagePart)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, Options.TypeInfo<TrainingConfig>()));
        Assert.Contains(messagePart, error.Message);
    }
}
