namespace AspireSimClr.Engine;

/// <summary>Checks a fork's settings against the checkpoint's (what may change: <see cref="ForkRules"/>).</summary>
public static class TrainingFork
{
    /// <summary>An error for each setting <paramref name="edited"/> changes that a fork cannot; also the config's own validation.</summary>
    public static IReadOnlyList<ConfigError> Check(TrainingConfig original, TrainingConfig edited)
    {
        var errors = TrainingConfigValidator.Validate(edited).ToList();
        foreach (var setting in ConfigSchema.Settings.Where(s => !ForkRules.CanChange(s)))
        {
            if (!Equals(setting.ValueIn(original), setting.ValueIn(edited)))
                errors.Add(new ConfigError(setting.Name, $"cannot change when continuing from a checkpoint (it was {setting.ValueIn(original) ?? "auto"}): the checkpoint's network, data order or optimiser state depend on it."));
        }
        return errors;
    }
}
