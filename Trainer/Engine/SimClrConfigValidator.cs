using System.Text.RegularExpressions;

namespace AspireSimClr.Trainer.Engine;

/// <summary>One invalid setting: the config property it concerns and what is wrong with it.</summary>
public sealed record ConfigError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

public sealed class InvalidConfigException(IReadOnlyList<ConfigError> errors)
    : Exception("Invalid configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}

public static partial class SimClrConfigValidator
{
    public static IReadOnlyList<ConfigError> Validate(SimClrConfig c)
    {
        var errors = new List<ConfigError>();
        void Check(bool ok, string field, string message)
        {
            if (!ok) errors.Add(new ConfigError(field, message));
        }
        void OneOf(string value, string[] allowed, string field) =>
            Check(allowed.Contains(value), field, $"'{value}' is not one of: {string.Join(", ", allowed)}.");
        void Probability(double p, string field) =>
            Check(p is >= 0 and <= 1, field, $"must be a probability between 0 and 1 (got {p}).");

        OneOf(c.Dataset, DatasetNames.All, nameof(c.Dataset));
        Check(c.Dataset is DatasetNames.Synthetic || !string.IsNullOrWhiteSpace(c.DataDir) || c.Dataset is DatasetNames.FashionMnist,
            nameof(c.DataDir), $"is required for the '{c.Dataset}' dataset.");
        Check(c.ImageSize is >= 8 and <= 512, nameof(c.ImageSize), $"must be between 8 and 512 pixels (got {c.ImageSize}).");
        Check(c.TrainSubset is null or >= 2, nameof(c.TrainSubset), "must be at least 2 images when set.");
        Check(c.TestSubset is null or >= 1, nameof(c.TestSubset), "must be at least 1 image when set.");
        Check(c.SyntheticTrainSize >= 2, nameof(c.SyntheticTrainSize), "must be at least 2.");
        Check(c.SyntheticTestSize >= 1, nameof(c.SyntheticTestSize), "must be at least 1.");

        OneOf(c.Model, ModelNames.All, nameof(c.Model));
        Check(c.ProjectionHiddenDim >= 1, nameof(c.ProjectionHiddenDim), "must be at least 1.");
        Check(c.ProjectionDim >= 1, nameof(c.ProjectionDim), "must be at least 1.");

        Check(c.Epochs >= 1, nameof(c.Epochs), $"must be at least 1 (got {c.Epochs}).");
        Check(c.BatchSize >= 2, nameof(c.BatchSize), $"must be at least 2: NT-Xent needs negatives (got {c.BatchSize}).");
        Check(c.Temperature > 0 && double.IsFinite(c.Temperature), nameof(c.Temperature), $"must be greater than 0 (got {c.Temperature}).");
        OneOf(c.Optimizer, OptimizerNames.All, nameof(c.Optimizer));
        Check(c.LearningRate is null || (c.LearningRate > 0 && double.IsFinite(c.LearningRate.Value)), nameof(c.LearningRate), $"must be greater than 0 (got {c.LearningRate}).");
        Check(c.Momentum is >= 0 and < 1, nameof(c.Momentum), $"must be in [0, 1) (got {c.Momentum}).");
        Check(c.WeightDecay >= 0, nameof(c.WeightDecay), $"must not be negative (got {c.WeightDecay}).");
        Check(c.LarsEta > 0, nameof(c.LarsEta), $"must be greater than 0 (got {c.LarsEta}).");
        Check(c.WarmupEpochs >= 0 && c.WarmupEpochs <= c.Epochs, nameof(c.WarmupEpochs), $"must be between 0 and Epochs (got {c.WarmupEpochs}).");
        Check(c.MinLearningRate >= 0 && c.MinLearningRate <= c.EffectiveLearningRate, nameof(c.MinLearningRate), "must be between 0 and the learning rate.");

        Check(c.CropScaleMin > 0 && c.CropScaleMin <= c.CropScaleMax && c.CropScaleMax <= 1, nameof(c.CropScaleMin), "crop area scale needs 0 < CropScaleMin ≤ CropScaleMax ≤ 1.");
        Check(c.CropRatioMin > 0 && c.CropRatioMin <= c.CropRatioMax, nameof(c.CropRatioMin), "crop aspect ratio needs 0 < CropRatioMin ≤ CropRatioMax.");
        Probability(c.FlipProbability, nameof(c.FlipProbability));
        Check(c.Brightness is >= 0 and <= 1, nameof(c.Brightness), "must be between 0 and 1.");
        Check(c.Contrast is >= 0 and <= 1, nameof(c.Contrast), "must be between 0 and 1.");
        Check(c.Saturation is >= 0 and <= 1, nameof(c.Saturation), "must be between 0 and 1.");
        Check(c.Hue is >= 0 and <= 0.5, nameof(c.Hue), "must be between 0 and 0.5.");
        Probability(c.ColorJitterProbability, nameof(c.ColorJitterProbability));
        Probability(c.GrayscaleProbability, nameof(c.GrayscaleProbability));
        Probability(c.BlurProbability, nameof(c.BlurProbability));
        Check(c.BlurSigmaMin > 0 && c.BlurSigmaMin <= c.BlurSigmaMax, nameof(c.BlurSigmaMin), "blur needs 0 < BlurSigmaMin ≤ BlurSigmaMax.");

        Check(c.KnnEveryEpochs >= 0, nameof(c.KnnEveryEpochs), "must be 0 (off) or more.");
        Check(c.KnnK >= 1, nameof(c.KnnK), "must be at least 1.");
        Check(c.KnnTemperature > 0, nameof(c.KnnTemperature), "must be greater than 0.");
        Check(c.LinearProbeEpochs >= 1, nameof(c.LinearProbeEpochs), "must be at least 1.");
        Check(c.LinearProbeLearningRate > 0, nameof(c.LinearProbeLearningRate), "must be greater than 0.");
        Check(c.CheckpointEveryEpochs >= 0, nameof(c.CheckpointEveryEpochs), "must be 0 (only at the end) or more.");

        Check(DevicePattern().IsMatch(c.Device), nameof(c.Device), $"'{c.Device}' is not one of: auto, cpu, cuda, cuda:N.");
        OneOf(c.Precision, PrecisionNames.All, nameof(c.Precision));
        Check(c.Threads >= 0, nameof(c.Threads), "must be 0 (library default) or more.");
        return errors;
    }

    public static void ThrowIfInvalid(SimClrConfig config)
    {
        var errors = Validate(config);
        if (errors.Count > 0) throw new InvalidConfigException(errors);
    }

    [GeneratedRegex("^(auto|cpu|cuda|cuda:[0-9]+)$")]
    private static partial Regex DevicePattern();
}
