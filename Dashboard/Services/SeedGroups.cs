namespace AspireSimClr.Dashboard.Services;

/// <summary>A band around a mean curve at one x: mean − std to mean + std.</summary>
public readonly record struct BandPoint(double X, double Low, double High);

/// <summary>Runs that differ only in their seed, and their curves' mean ± standard deviation.</summary>
public static class SeedGroups
{
    public sealed record Group(string Label, IReadOnlyList<Run> Runs);

    /// <summary>Runs grouped by their settings without the seed, in first-appearance order; a group may hold one run.</summary>
    public static IReadOnlyList<Group> Of(IReadOnlyList<Run> runs) => runs
        .GroupBy(r => System.Text.Json.JsonSerializer.Serialize(r.Config with { Seed = 0 }, ContractJson.Options))
        .Select(g => new Group(Label(g.ToList()), g.ToList()))
        .ToList();

    /// <summary>
    /// The mean and the ±1 std band (population std over the runs that have a point there) at each x any run has;
    /// the band is the mean itself where only one run has a point.
    /// </summary>
    public static (IReadOnlyList<ChartPoint> Mean, IReadOnlyList<BandPoint> Band) MeanAndBand(IEnumerable<IReadOnlyList<ChartPoint>> curves)
    {
        var byX = curves.SelectMany(c => c).Where(p => double.IsFinite(p.Y)).GroupBy(p => p.X).OrderBy(g => g.Key).ToList();
        var mean = new List<ChartPoint>(byX.Count);
        var band = new List<BandPoint>(byX.Count);
        foreach (var at in byX)
        {
            double m = at.Average(p => p.Y);
            double std = Math.Sqrt(at.Average(p => (p.Y - m) * (p.Y - m)));
            mean.Add(new ChartPoint(at.Key, m));
            band.Add(new BandPoint(at.Key, m - std, m + std));
        }
        return (mean, band);
    }

    /// <summary>The runs' common name without what tells them apart (a sweep's " · seed N" suffix), and how many.</summary>
    private static string Label(IReadOnlyList<Run> runs)
    {
        var name = runs[0].Name.Split(" · ")[0];
        return runs.Count == 1 ? runs[0].Name : $"{name} (mean ± std of {runs.Count} seeds)";
    }
}
