namespace AspireSimClr.Trainer.Sweeps;

/// <summary>
/// The rule of asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning"),
/// in its stopping form: a run that reaches a rung goes on only if it ranks among the best ⌊n/η⌋ of the n runs that have
/// reached that rung so far, itself included, and at least the best one goes on (so the first run at a rung always does).
/// </summary>
public static class SuccessiveHalving
{
    /// <param name="Rank">1 for the best; runs with an equal value share the better rank.</param>
    public readonly record struct Standing(int Rank, int Competitors, int Kept, bool Continues);

    /// <param name="others">The values of the runs that reached the rung before this one (null: not a finite number, the worst).</param>
    /// <param name="value">This run's value; null (not finite) never goes on.</param>
    public static Standing Rank(IReadOnlyCollection<double?> others, double? value, bool higherIsBetter, int reductionFactor)
    {
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), "The reduction factor is at least 2.");
        int competitors = others.Count + 1;
        int kept = Math.Max(1, competitors / reductionFactor);
        int rank = 1 + others.Count(other => Better(other, value, higherIsBetter));
        return new Standing(rank, competitors, kept, value is not null && rank <= kept);
    }

    private static bool Better(double? a, double? b, bool higherIsBetter) =>
        a is { } x && (b is not { } y || (higherIsBetter ? x > y : x < y));
}
