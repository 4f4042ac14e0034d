using AspireSimClr.Trainer.Engine.Data;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine;

/// <summary>Everything that can be checked about a config before training starts: values, device and data files.</summary>
public static class SimClrPreflight
{
    public static IReadOnlyList<ConfigError> Check(SimClrConfig config)
    {
        var errors = SimClrConfigValidator.Validate(config).ToList();
        if (errors.Count > 0) return errors;

        if (config.Device.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
            errors.Add(new ConfigError(nameof(config.Device), $"'{config.Device}' was asked for but CUDA is not available on this trainer; use 'auto' or 'cpu'."));

        bool downloadable = config.Dataset == DatasetNames.Cifar10 && config.Download;
        if (!DatasetLoader.IsPresent(config.Dataset, config.DataDir) && !downloadable)
            errors.Add(new ConfigError(nameof(config.DataDir),
                $"no {config.Dataset} files were found at {config.DataDir ?? "the default location"}; {DatasetCatalog.Describe(config.Dataset).Layout}"));
        return errors;
    }
}
