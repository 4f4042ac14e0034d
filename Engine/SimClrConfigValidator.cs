using System.Text.RegularExpressions;

namespace AspireSimClr.Engine;

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
            Check(allowed.Contains(value), field, $"'{Shorten(value)}' is not one of: {string.Join(", ", allowed)}.");
        void Range(int value, int min, int max, string field) =>
            Check(value >= min && value <= max, field, $"must be between {min:N0} and {max:N0} (got {value}).");
        // A range setting (min, max): each end is named when it is out of bounds, the min when they are swapped.
        void Interval(double min, double max, double limit, string minField, string maxField, string what)
        {
            bool minOk = min > 0 && min <= limit, maxOk = max > 0 && max <= limit;
            Check(minOk, minField, $"{what} needs 0 < {minField} ≤ {limit} (got {min}).");
            Check(maxOk, maxField, $"{what} needs 0 < {maxField} ≤ {limit} (got {max}).");
            Check(!minOk || !maxOk || min <= max, minField, $"{what} needs {minField} ≤ {maxField} (got {min} > {max}).");
        }
        void Probability(double p, string field) =>
            Check(p is >= 0 and <= 1, field, $"must be a probability between 0 and 1 (got {p}).");

        OneOf(c.Method, MethodNames.All, nameof(c.Method));
        Check(c.TargetMomentum is >= 0 and <= 1, nameof(c.TargetMomentum), $"must be between 0 and 1 (got {c.TargetMomentum}).");
        Range(c.PredictorHiddenDim, 1, Limits.MaxProjectionDim, nameof(c.PredictorHiddenDim));
        Range(c.QueueSize, 1, Limits.MaxQueueSize, nameof(c.QueueSize));
        Check(c.VicregInvarianceWeight is >= 0 and <= 1000, nameof(c.VicregInvarianceWeight), $"must be between 0 and 1,000 (got {c.VicregInvarianceWeight}).");
        Check(c.VicregVarianceWeight is >= 0 and <= 1000, nameof(c.VicregVarianceWeight), $"must be between 0 and 1,000 (got {c.VicregVarianceWeight}).");
        Check(c.VicregCovarianceWeight is >= 0 and <= 1000, nameof(c.VicregCovarianceWeight), $"must be between 0 and 1,000 (got {c.VicregCovarianceWeight}).");

        OneOf(c.Dataset, DatasetNames.All, nameof(c.Dataset));
        Check(c.Dataset is DatasetNames.Synthetic || !string.IsNullOrWhiteSpace(c.DataDir) || c.Dataset is DatasetNames.FashionMnist,
            nameof(c.DataDir), $"is required for the '{c.Dataset}' dataset.");
        Check(c.DataDir is null || c.DataDir.Length <= Limits.MaxPathLength, nameof(c.DataDir), $"must be at most {Limits.MaxPathLength} characters.");
        Check(c.CacheDir is null || c.CacheDir.Length <= Limits.MaxPathLength, nameof(c.CacheDir), $"must be at most {Limits.MaxPathLength} characters.");
        Check(c.ImageSize is >= 8 and <= 512, nameof(c.ImageSize), $"must be between 8 and 512 pixels (got {c.ImageSize}).");
        Check(c.TrainSubset is null or (>= 2 and <= Limits.MaxImages), nameof(c.TrainSubset), $"must be between 2 and {Limits.MaxImages:N0} images when set (got {c.TrainSubset}).");
        Check(c.TestSubset is null or (>= 1 and <= Limits.MaxImages), nameof(c.TestSubset), $"must be between 1 and {Limits.MaxImages:N0} images when set (got {c.TestSubset}).");
        Range(c.SyntheticTrainSize, 2, Limits.MaxSyntheticImages, nameof(c.SyntheticTrainSize));
        Range(c.SyntheticTestSize, 1, Limits.MaxSyntheticImages, nameof(c.SyntheticTestSize));
        if (c.Dataset == DatasetNames.Synthetic && c.ImageSize is >= 8 and <= 512
            && c.SyntheticTrainSize <= Limits.MaxSyntheticImages && c.SyntheticTestSize <= Limits.MaxSyntheticImages)
        {
            long bytes = (long)(c.SyntheticTrainSize + c.SyntheticTestSize) * 3 * c.ImageSize * c.ImageSize;
            Check(bytes <= Limits.MaxSyntheticBytes, nameof(c.SyntheticTrainSize),
                $"the synthetic images would take {bytes / (1 << 20):N0} MiB; at most {Limits.MaxSyntheticBytes / (1 << 20):N0} MiB are allowed (lower the size or the image size).");
        }

        OneOf(c.Model, ModelNames.All, nameof(c.Model));
        Check(c.EncoderWidth is >= Limits.MinEncoderWidth and <= Limits.MaxEncoderWidth, nameof(c.EncoderWidth),
            $"must be between {Limits.MinEncoderWidth} and {Limits.MaxEncoderWidth} (got {c.EncoderWidth}).");
        Range(c.ProjectionHiddenDim, 1, Limits.MaxProjectionDim, nameof(c.ProjectionHiddenDim));
        Range(c.ProjectionDim, 1, Limits.MaxProjectionDim, nameof(c.ProjectionDim));

        Range(c.Epochs, 1, Limits.MaxEpochs, nameof(c.Epochs));
        Check(c.BatchSize >= 2, nameof(c.BatchSize), $"must be at least 2: contrastive losses need negatives, batch normalisation and VICReg's variance need two samples (got {c.BatchSize}).");
        Check(c.BatchSize <= Limits.MaxBatchSize, nameof(c.BatchSize), $"must be at most {Limits.MaxBatchSize:N0}: NT-Xent's similarity matrix grows with its square (got {c.BatchSize}).");
        Check(c.Temperature is > 0 and <= 10, nameof(c.Temperature), $"must be greater than 0 and at most 10 (got {c.Temperature}).");
        OneOf(c.Optimizer, OptimizerNames.All, nameof(c.Optimizer));
        Check(c.LearningRate is null or (> 0 and <= 100), nameof(c.LearningRate), $"must be greater than 0 and at most 100 (got {c.LearningRate}).");
        Check(c.Momentum is >= 0 and < 1, nameof(c.Momentum), $"must be in [0, 1) (got {c.Momentum}).");
        Check(c.WeightDecay is >= 0 and <= 1, nameof(c.WeightDecay), $"must be between 0 and 1 (got {c.WeightDecay}).");
        Check(c.LarsEta is > 0 and <= 1, nameof(c.LarsEta), $"must be greater than 0 and at most 1 (got {c.LarsEta}).");
        Check(c.WarmupEpochs >= 0 && c.WarmupEpochs <= c.Epochs, nameof(c.WarmupEpochs), $"must be between 0 and Epochs (got {c.WarmupEpochs}).");
        Check(c.MinLearningRate >= 0 && c.MinLearningRate <= c.EffectiveLearningRate, nameof(c.MinLearningRate), "must be between 0 and the learning rate.");

        Interval(c.CropScaleMin, c.CropScaleMax, 1, nameof(c.CropScaleMin), nameof(c.CropScaleMax), "crop area scale");
        Interval(c.CropRatioMin, c.CropRatioMax, 10, nameof(c.CropRatioMin), nameof(c.CropRatioMax), "crop aspect ratio");
        Probability(c.FlipProbability, nameof(c.FlipProbability));
        Check(c.Brightness is >= 0 and <= 1, nameof(c.Brightness), "must be between 0 and 1.");
        Check(c.Contrast is >= 0 and <= 1, nameof(c.Contrast), "must be between 0 and 1.");
        Check(c.Saturation is >= 0 and <= 1, nameof(c.Saturation), "must be between 0 and 1.");
        Check(c.Hue is >= 0 and <= 0.5, nameof(c.Hue), "must be between 0 and 0.5.");
        Probability(c.ColorJitterProbability, nameof(c.ColorJitterProbability));
        Probability(c.GrayscaleProbability, nameof(c.GrayscaleProbability));
        Probability(c.BlurProbability, nameof(c.BlurProbability));
        Interval(c.BlurSigmaMin, c.BlurSigmaMax, 10, nameof(c.BlurSigmaMin), nameof(c.BlurSigmaMax), "blur sigma");
        Probability(c.SolarizeProbability, nameof(c.SolarizeProbability));

        Check(c.KnnEveryEpochs >= 0 && c.KnnEveryEpochs <= Limits.MaxEpochs, nameof(c.KnnEveryEpochs), $"must be 0 (off) up to {Limits.MaxEpochs:N0}.");
        Range(c.KnnK, 1, Limits.MaxKnnK, nameof(c.KnnK));
        if (KnownTrainCount(c) is { } bank)
            Check(c.KnnK <= bank, nameof(c.KnnK), $"must be at most the {bank:N0} training images the kNN bank holds (got {c.KnnK}).");
        Check(c.KnnTemperature is > 0 and <= 10, nameof(c.KnnTemperature), "must be greater than 0 and at most 10.");
        Range(c.LinearProbeEpochs, 1, Limits.MaxLinearProbeEpochs, nameof(c.LinearProbeEpochs));
        Check(c.LinearProbeLearningRate is > 0 and <= 10, nameof(c.LinearProbeLearningRate), "must be greater than 0 and at most 10.");
        Check(c.CheckpointEveryEpochs >= 0 && c.CheckpointEveryEpochs <= Limits.MaxEpochs, nameof(c.CheckpointEveryEpochs), $"must be 0 (only at the end) up to {Limits.MaxEpochs:N0}.");

        Check(DevicePattern().IsMatch(c.Device), nameof(c.Device), $"'{Shorten(c.Device)}' is not one of: auto, cpu, cuda, cuda:N.");
        OneOf(c.Precision, PrecisionNames.All, nameof(c.Precision));
        Check(c.Threads >= 0 && c.Threads <= Limits.MaxThreads, nameof(c.Threads), $"must be 0 (library default) up to the trainer's {Limits.MaxThreads} processors (got {c.Threads}).");
        return errors;
    }

    /// <summary>The number of training images when the config alone determines it (synthetic data or a subset).</summary>
    private static int? KnownTrainCount(SimClrConfig c) =>
        c.Dataset == DatasetNames.Synthetic ? Math.Min(c.SyntheticTrainSize, c.TrainSubset ?? int.MaxValue) : c.TrainSubset;

    /// <summary>Keeps an echoed bad value short, so an abusive request does not come back in full.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    public static void ThrowIfInvalid(SimClrConfig config)
    {
        var errors = Validate(config);
        if (errors.Count > 0) throw new InvalidConfigException(errors);
    }

    [GeneratedRegex("^(auto|cpu|cuda|cuda:[0-9]{1,3})$")]
    private static partial Regex DevicePattern();
}
