namespace AspireSimClr.Engine;

/// <summary>
/// What a run continued from another's checkpoint (a fork) may change: the schedule's length and rates, optimiser
/// rates, views, evaluation and runtime. The data, the networks' shapes, the method, the batch and the optimiser and
/// precision (whose state the checkpoint holds) stay those the checkpoint was trained with.
/// </summary>
public static class TrainingFork
{
    private static readonly string[] FrozenSections = [ConfigSections.Data, ConfigSections.Backbone];

    private static readonly string[] FrozenSettings =
    [
        nameof(TrainingConfig.Method), nameof(TrainingConfig.PredictorHiddenDim), nameof(TrainingConfig.QueueSize), nameof(TrainingConfig.BatchSize),
        nameof(TrainingConfig.DropLastBatch), nameof(TrainingConfig.Optimizer), nameof(TrainingConfig.Precision),
    ];

    public static bool CanChange(ConfigSetting setting) => !FrozenSections.Contains(setting.Section) && !FrozenSettings.Contains(setting.Name);

    /// <summary>An error for each setting <paramref name="edited"/> changes that a fork cannot; also the config's own validation.</summary>
    public static IReadOnlyList<ConfigError> Check(TrainingConfig original, TrainingConfig edited)
    {
        var errors = TrainingConfigValidator.Validate(edited).ToList();
        foreach (var setting in ConfigSchema.Settings.Where(s => !CanChange(s)))
        {
            if (!Equals(setting.ValueIn(original), setting.ValueIn(edited)))
                errors.Add(new ConfigError(setting.Name, $"cannot change when continuing from a checkpoint (it was {setting.ValueIn(original) ?? "auto"}): the checkpoint's network, data order or optimiser state depend on it."));
        }
        return errors;
    }
}
