namespace AspireSimClr.Contracts;

public static class SweepKinds
{
    /// <summary>Every combination of the axes' values.</summary>
    public const string Grid = "grid";
    /// <summary>Samples drawn from each axis's range (uniform, or log-uniform).</summary>
    public const string Random = "random";
    /// <summary>The same settings with consecutive seeds.</summary>
    public const string Seeds = "seeds";
    /// <summary>Model-based search over ranges (tree-structured Parzen estimator): each next run proposed from the results so far.</summary>
    public const string Tpe = "tpe";
    public static readonly string[] All = [Grid, Random, Tpe, Seeds];
}

/// <summary>Runs queued together from one request: a grid, random search or seed group over the same base settings.</summary>
/// <param name="Axes">The settings that vary between the runs and the values they took.</param>
/// <param name="EarlyStopping">Whether and how weak runs stop early (null: every run trains to its end).</param>
/// <param name="Search">A model-based sweep's search, which queues its runs one by one as results arrive (null for the other kinds).</param>
public sealed record Sweep(string Id, string Name, string Kind, IReadOnlyList<SweepAxis> Axes, DateTimeOffset CreatedAt, IReadOnlyList<string> RunIds,
    EarlyStopping? EarlyStopping = null, SweepSearch? Search = null);

/// <summary>
/// What a model-based sweep searches: its ranges, how many runs it trains in all (<paramref name="Budget"/>), how many of them are drawn
/// at random before the model proposes (<paramref name="Startup"/>, queued at once), and the seed its proposals are drawn with.
/// </summary>
public sealed record SweepSearch(IReadOnlyList<SweepRange> Ranges, int Budget, int Startup, long Seed);

/// <summary>One varied setting (flat name, as in a run request) and its values, as text, in run order.</summary>
public sealed record SweepAxis(string Setting, IReadOnlyList<string> Values);

/// <summary>A sweep and its runs, as the API returns one, with the early-stopping decisions taken at its rungs (oldest first).</summary>
public sealed record SweepDetail(Sweep Sweep, IReadOnlyList<Run> Runs, IReadOnlyList<RungDecision>? Decisions = null);

public static class EarlyStoppingMetrics
{
    /// <summary>The kNN monitor's top-1 accuracy at the rung's epoch: higher is better.</summary>
    public const string Knn = "knn";
    /// <summary>The mean training loss of the rung's epoch: lower is better (comparable only between runs of one loss).</summary>
    public const string Loss = "loss";
    public static readonly string[] All = [Knn, Loss];
}

/// <summary>
/// Asynchronous successive halving (ASHA): when a run of the sweep has trained a rung's number of epochs, it continues only if
/// its <paramref name="Metric"/> is among the best 1/<paramref name="ReductionFactor"/> of the runs that reached that rung so far
/// (at least the best one); otherwise it stops as <see cref="RunStatus.StoppedEarly"/>. A run whose health rules raise collapse or
/// nan-risk stops at once, whatever its rank.
/// </summary>
/// <param name="Rungs">Epoch counts, ascending, each below every run's epochs (and, for kNN, at a kNN evaluation).</param>
public sealed record EarlyStopping(string Metric, IReadOnlyList<int> Rungs, int ReductionFactor);

/// <summary>
/// What the sweep decided for one run at one rung: its value, its rank among the <paramref name="Competitors"/> that had reached the
/// rung then (itself included), how many of them go on (<paramref name="Kept"/>), and whether it did. <paramref name="Overridden"/>:
/// a user resumed it after it was stopped here.
/// </summary>
public sealed record RungDecision(string RunId, int Rung, double? Value, int Rank, int Competitors, int Kept, bool Continues, bool Overridden, DateTimeOffset DecidedAt);

/// <summary>What early stopping saved a sweep: the epochs its stopped runs did not train, against every run trained to its end.</summary>
public static class SweepBudget
{
    public static int PlannedEpochs(IEnumerable<Run> runs) => runs.Sum(r => r.Config.Epochs);

    public static int SavedEpochs(IEnumerable<Run> runs) =>
        runs.Where(r => r.Status == RunStatus.StoppedEarly).Sum(r => Math.Max(0, r.Config.Epochs - r.EpochsCompleted));
}
