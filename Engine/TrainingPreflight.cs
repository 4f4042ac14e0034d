using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Runtime;

namespace AspireSimClr.Engine;

/// <summary>Everything that can be checked about a config before training starts: values, device and data files.</summary>
public static class TrainingPreflight
{
    /// <param name="checkDevice">
    /// Whether the device must exist in this process. Not when trainers share a queue: another trainer may have the GPU
    /// a run asks for (the run then waits for a worker that advertises it).
    /// </param>
    public static IReadOnlyList<ConfigError> Check(TrainingConfig config, bool checkDevice = true)
    {
        var errors = TrainingConfigValidator.Validate(config).ToList();
        if (errors.Count > 0) return errors;

        // The engine's own checks, so that the API refuses exactly what a run would fail on: a device that is
        // missing or out of range, and bf16 on a GPU older than compute capability 8.0.
        if (checkDevice)
        {
            try
            {
                var device = DeviceSelector.Resolve(config.Device);
                DeviceSelector.ThrowIfPrecisionUnsupported(RuntimeChoice.Resolve(config, device).Precision, device);
            }
            catch (InvalidConfigException invalid)
            {
                errors.AddRange(invalid.Errors);
            }
        }

        bool downloadable = config.Dataset == DatasetNames.Cifar10 && config.Download;
        if (!DatasetLoader.IsPresent(config.Dataset, config.DataDir) && !downloadable)
            errors.Add(new ConfigError(nameof(config.DataDir),
                $"no {config.Dataset} files were found at {config.DataDir ?? "the default location"}; {DatasetCatalog.Describe(config.Dataset).Layout}"));
        return errors;
    }
}
