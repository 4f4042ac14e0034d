using System.Globalization;

namespace AspireSimClr.Dashboard.Services;

/// <summary>A sweep's runs against what they varied: each run's value of every varied setting, read from its config.</summary>
public static class SweepTable
{
    /// <summary>The setting's value in <paramref name="run"/>'s config as text (invariant numbers), or null if unknown.</summary>
    public static string? ValueOf(Run run, string setting) => ConfigSchema.Find(setting)?.ValueIn(run.Config) switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>Runs best first by kNN top-1, then linear top-1; runs without results last, in queue order.</summary>
    public static IReadOnlyList<Run> Ranked(IEnumerable<Run> runs) =>
        runs.OrderByDescending(r => r.BestKnnTop1.HasValue).ThenByDescending(r => r.BestKnnTop1).ThenByDescending(r => r.LinearTop1).ThenBy(r => r.QueueOrder).ToList();

    /// <summary>What early stopping decided for a run, rung by rung: "epoch 2: 1st of 4, went on · epoch 6: 3rd of 5, stopped".</summary>
    public static string? Decisions(SweepDetail detail, string runId) =>
        detail.Decisions?.Where(d => d.RunId == runId).OrderBy(d => d.Rung).ToList() is { Count: > 0 } decisions
            ? string.Join(" · ", decisions.Select(d => $"epoch {d.Rung}: {Ordinal(d.Rank)} of {d.Competitors}, " +
                (d.Continues ? "went on" : d.Overridden ? "stopped, resumed by hand" : "stopped")))
            : null;

    /// <summary>"12 of 48 epochs (25 %)" not trained because runs stopped early.</summary>
    public static string Saved(SweepDetail detail)
    {
        int planned = SweepBudget.PlannedEpochs(detail.Runs), saved = SweepBudget.SavedEpochs(detail.Runs);
        return $"{saved} of {planned} epochs ({(planned == 0 ? 0 : 100.0 * saved / planned).ToString("0", CultureInfo.InvariantCulture)} %)";
    }

    private static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    public static IReadOnlyList<ParallelAxis> Axes(SweepDetail detail) =>
        detail.Sweep.Axes.Select(a => new ParallelAxis(a.Setting, detail.Runs.Select(r => (r.Id, ValueOf(r, a.Setting))).Where(v => v.Item2 is not null).ToDictionary(v => v.Id, v => v.Item2!), false))
            .Append(new ParallelAxis("kNN top-1", Results(detail, r => r.BestKnnTop1), true))
            .Append(new ParallelAxis("linear top-1", Results(detail, r => r.LinearTop1), true))
            .Where(a => a.Values.Count > 0)
            .ToList();

    private static Dictionary<string, string> Results(SweepDetail detail, Func<Run, double?> result) =>
        detail.Runs.Where(r => result(r) is not null).ToDictionary(r => r.Id, r => result(r)!.Value.ToString("R", CultureInfo.InvariantCulture));
}

/// <summary>One axis of a parallel-coordinates view: its values by run id.</summary>
public sealed record ParallelAxis(string Name, IReadOnlyDictionary<string, string> Values, bool Percent);
