using System.Globalization;
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

public static partial class TrainingConfigValidator
{
    /// <summary>
    /// Every problem with the config, each naming its setting: choices and bounds as
    /// <see cref="ConfigSchema"/> describes them, then what depends on several settings.
    /// </summary>
    public static IReadOnlyList<ConfigError> Validate(TrainingConfig c)
    {
        var errors = new List<ConfigError>();
        void Check(bool ok, string field, string message)
        {
            if (!ok) errors.Add(new ConfigError(field, message));
        }

        foreach (var setting in ConfigSchema.Settings)
        {
            var value = setting.ValueIn(c);
            if (setting.Choices is { } choices && value is string text)
                Check(choices.Contains(text), setting.Name, $"'{Shorten(text)}' is not one of: {string.Join(", ", choices)}.");
            if (setting.DescribeBounds() is { } bounds && AsDouble(value) is { } number)
                Check(setting.InBounds(number), setting.Name, $"must be {bounds}{(setting.Why is { } why ? $": {why}" : "")} (got {Shorten(Convert.ToString(value, CultureInfo.InvariantCulture)!)}).");
        }

        Check(c.Dataset is DatasetNames.Synthetic || !string.IsNullOrWhiteSpace(c.DataDir) || c.Dataset is DatasetNames.FashionMnist,
            nameof(c.DataDir), $"is required for the '{c.Dataset}' dataset.");
        Check(c.DataDir is null || c.DataDir.Length <= Limits.MaxPathLength, nameof(c.DataDir), $"must be at most {Limits.MaxPathLength} characters.");
        Check(c.CacheDir is null || c.CacheDir.Length <= Limits.MaxPathLength, nameof(c.CacheDir), $"must be at most {Limits.MaxPathLength} characters.");
        if (c.Dataset == DatasetNames.Synthetic && c.ImageSize is >= 8 and <= 512
            && c.SyntheticTrainSize <= Limits.MaxSyntheticImages && c.SyntheticTestSize <= Limits.MaxSyntheticImages)
        {
            long bytes = (long)(c.SyntheticTrainSize + c.SyntheticTestSize) * 3 * c.ImageSize * c.ImageSize;
            Check(bytes <= Limits.MaxSyntheticBytes, nameof(c.SyntheticTrainSize),
                $"the synthetic images would take {bytes / (1 << 20):N0} MiB; at most {Limits.MaxSyntheticBytes / (1 << 20):N0} MiB are allowed (lower the size or the image size).");
        }

        if (errors.All(e => e.Field != nameof(c.WarmupEpochs)))
            Check(c.WarmupEpochs <= c.Epochs, nameof(c.WarmupEpochs), $"must be between 0 and Epochs (got {c.WarmupEpochs}).");
        if (errors.All(e => e.Field != nameof(c.MinLearningRate)))
            Check(c.MinLearningRate <= c.EffectiveLearningRate, nameof(c.MinLearningRate), "must be between 0 and the learning rate.");

        Ordered(c.CropScaleMin, c.CropScaleMax, nameof(c.CropScaleMin), nameof(c.CropScaleMax), "crop area scale");
        Ordered(c.CropRatioMin, c.CropRatioMax, nameof(c.CropRatioMin), nameof(c.CropRatioMax), "crop aspect ratio");
        Ordered(c.BlurSigmaMin, c.BlurSigmaMax, nameof(c.BlurSigmaMin), nameof(c.BlurSigmaMax), "blur sigma");
        if (c.SmallCrops > 0)
        {
            Ordered(c.SmallCropScaleMin, c.SmallCropScaleMax, nameof(c.SmallCropScaleMin), nameof(c.SmallCropScaleMax), "small crop area scale");
            Check(c.Method is MethodNames.SimClr or MethodNames.Vicreg or MethodNames.BarlowTwins or MethodNames.Dino, nameof(c.SmallCrops),
                $"multi-crop is built for simclr, vicreg, barlow-twins and dino; '{Shorten(c.Method)}' compares its two views with a target network (set 0).");
            Check(c.Model != ModelNames.TinyCnn, nameof(c.SmallCrops),
                "tiny-cnn flattens its feature map, so it takes only images of the image size; multi-crop needs compact-cnn or resnet18.");
            if (errors.All(e => e.Field is not (nameof(c.SmallCropSize) or nameof(c.ImageSize))))
                Check(c.SmallCropSize < c.ImageSize, nameof(c.SmallCropSize), $"must be below the image size, {c.ImageSize} px (got {c.SmallCropSize}).");
        }

        if (c.ProgressiveResolutionStart is { } start)
        {
            if (errors.All(e => e.Field is not (nameof(c.ProgressiveResolutionStart) or nameof(c.ImageSize))))
                Check(start < c.ImageSize, nameof(c.ProgressiveResolutionStart), $"must be below the image size, {c.ImageSize} px (got {start}).");
            Check(c.Model != ModelNames.TinyCnn, nameof(c.ProgressiveResolutionStart),
                "tiny-cnn flattens its feature map, so it takes only images of the image size; progressive resolution needs compact-cnn or resnet18.");
            if (c.SmallCrops > 0 && errors.All(e => e.Field is not (nameof(c.ProgressiveResolutionStart) or nameof(c.SmallCropSize))))
                Check(start >= c.SmallCropSize, nameof(c.ProgressiveResolutionStart),
                    $"must be at least the small crops' size, {c.SmallCropSize} px, so the full-size views stay the larger (got {start}).");
            if (errors.All(e => e.Field is not (nameof(c.ProgressiveResolutionEpochs) or nameof(c.Epochs))))
            {
                // The views reach the end side in epoch rampEpochs (0-based), which must be one the run trains.
                if (c.ProgressiveResolutionEpochs is { } rampEpochs)
                    Check(rampEpochs < c.Epochs, nameof(c.ProgressiveResolutionEpochs),
                        $"must be below the run's {c.Epochs} epochs, so the last epochs train at the end side (got {rampEpochs}).");
                else
                    Check(c.Epochs >= 2, nameof(c.ProgressiveResolutionStart),
                        "needs a run of at least 2 epochs: the views grow over the first half and the rest trains at the end side.");
            }
            if (c.ProgressiveResolutionEnd is { } end
                && errors.All(e => e.Field is not (nameof(c.ProgressiveResolutionEnd) or nameof(c.ProgressiveResolutionStart) or nameof(c.ImageSize))))
            {
                Check(end >= start, nameof(c.ProgressiveResolutionEnd), $"must be at least progressiveResolutionStart, {start} px, so the views grow (got {end}).");
                Check(end <= c.ImageSize, nameof(c.ProgressiveResolutionEnd), $"must be at most the image size, {c.ImageSize} px, which evaluation sees (got {end}).");
            }
        }
        else
        {
            Check(c.ProgressiveResolutionEpochs is null, nameof(c.ProgressiveResolutionEpochs), "takes effect only with progressiveResolutionStart: set that too, or leave this empty.");
            Check(c.ProgressiveResolutionEnd is null, nameof(c.ProgressiveResolutionEnd), "takes effect only with progressiveResolutionStart: set that too, or leave this empty.");
        }

        if (KnownTrainCount(c) is { } bank && errors.All(e => e.Field != nameof(c.KnnK)))
            Check(c.KnnK <= bank, nameof(c.KnnK), $"must be at most the {bank:N0} training images the kNN bank holds (got {c.KnnK}).");

        Check(DevicePattern().IsMatch(c.Device), nameof(c.Device), $"'{Shorten(c.Device)}' is not one of: auto, cpu, cuda, cuda:N.");
        Check(c.Threads <= Limits.MaxThreads, nameof(c.Threads), $"must be 0 (library default) up to the trainer's {Limits.MaxThreads} processors (got {c.Threads}).");
        return errors;

        // A range setting (min, max) whose ends are each in bounds: the min is named when they are swapped.
        void Ordered(double min, double max, string minField, string maxField, string what)
        {
            if (errors.Any(e => e.Field == minField || e.Field == maxField)) return;
            Check(min <= max, minField, $"{what} needs {minField} ≤ {maxField} (got {min} > {max}).");
        }
    }

    private static double? AsDouble(object? value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        _ => null,
    };

    /// <summary>The number of training images when the config alone determines it (synthetic data or a subset).</summary>
    private static int? KnownTrainCount(TrainingConfig c) =>
        c.Dataset == DatasetNames.Synthetic ? Math.Min(c.SyntheticTrainSize, c.TrainSubset ?? int.MaxValue) : c.TrainSubset;

    /// <summary>Keeps an echoed bad value short, so an abusive request does not come back in full.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    public static void ThrowIfInvalid(TrainingConfig config)
    {
        var errors = Validate(config);
        if (errors.Count > 0) throw new InvalidConfigException(errors);
    }

    [GeneratedRegex("^(auto|cpu|cuda|cuda:[0-9]{1,3})$")]
    private static partial Regex DevicePattern();
}
