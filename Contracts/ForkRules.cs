namespace AspireSimClr.Contracts;

/// <summary>
/// What a run continued from another's checkpoint (a fork) may change: the schedule's length and rates, optimiser
/// rates, views, evaluation and runtime. The data, the networks' shapes, the method, the batch and the optimiser and
/// precision (whose state the checkpoint holds) stay those the checkpoint was trained with.
/// </summary>
public static class ForkRules
{
    private static readonly string[] FrozenSections = [ConfigSections.Data, ConfigSections.Backbone];

    private static readonly string[] FrozenSettings =
    [
        nameof(TrainingConfig.Method), nameof(TrainingConfig.PredictorHiddenDim), nameof(TrainingConfig.QueueSize), nameof(TrainingConfig.BatchSize),
        nameof(TrainingConfig.DropLastBatch), nameof(TrainingConfig.Optimizer), nameof(TrainingConfig.Precision),
    ];

    public static bool CanChange(ConfigSetting setting) => !FrozenSections.Contains(setting.Section) && !FrozenSettings.Contains(setting.Name);
}
