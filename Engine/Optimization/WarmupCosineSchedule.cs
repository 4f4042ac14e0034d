namespace AspireSimClr.Engine.Optimization;

/// <summary>Linear warm-up from 0 to the base rate, then cosine decay to the minimum, evaluated per step.</summary>
public sealed record WarmupCosineSchedule(double BaseRate, double MinRate, long WarmupSteps, long TotalSteps)
{
    public static WarmupCosineSchedule For(TrainingConfig config, long stepsPerEpoch) => new(
        config.EffectiveLearningRate,
        config.MinLearningRate,
        (long)Math.Round(config.WarmupEpochs * stepsPerEpoch),
        (long)config.Epochs * stepsPerEpoch);

    /// <summary>
    /// Weight decay on a cosine from <see cref="TrainingConfig.WeightDecay"/> at the first step to
    /// <see cref="TrainingConfig.WeightDecayEnd"/> at the last (DINO raises it, 0.04 → 0.4); null when it stays constant.
    /// </summary>
    public static WarmupCosineSchedule? WeightDecayFor(TrainingConfig config, long stepsPerEpoch) => config.WeightDecayEnd is { } end
        ? new(config.WeightDecay, end, 0, (long)config.Epochs * stepsPerEpoch)
        : null;

    /// <summary>The rate for the (0-based) step about to be taken.</summary>
    public double RateAt(long step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps) return BaseRate * (step + 1) / WarmupSteps;
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return MinRate + (BaseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
