namespace AspireSimClr.Dashboard.Services;

/// <summary>Which way a metric improves.</summary>
public enum Better { Lower, Higher }

/// <summary>
/// A metric of one run summarised: its last value, its best (by the metric's direction) and where it was
/// reached, its minimum and maximum. Null values: the run has no such points (yet).
/// </summary>
public sealed record MetricStat(string Metric, Better Direction, bool Percent, int Count, double? Last, double? Best, double? BestAt, double? Min, double? Max)
{
    /// <summary>Whether <paramref name="a"/> is better than <paramref name="b"/> for this metric.</summary>
    public bool IsBetter(double a, double b) => Direction == Better.Lower ? a < b : a > b;
}

public static class MetricSummary
{
    /// <summary>The metrics the dashboard summarises, each with its direction; x of every series is the epoch.</summary>
    public static IReadOnlyList<(string Metric, Better Direction, bool Percent, Func<MetricSeries, IReadOnlyList<ChartPoint>> Points)> Metrics { get; } =
    [
        ("loss (epoch mean)", Better.Lower, false, s => s.EpochLoss()),
        ("kNN top-1", Better.Higher, true, s => s.Knn()),
        ("linear top-1", Better.Higher, true, s => s.Linear()),
        ("images/s", Better.Higher, false, s => s.EpochImagesPerSecond()),
    ];

    public static IReadOnlyList<MetricStat> Of(MetricSeries series) =>
        Metrics.Select(m => Summarise(m.Metric, m.Direction, m.Percent, m.Points(series))).ToList();

    public static MetricStat Summarise(string metric, Better direction, bool percent, IReadOnlyList<ChartPoint> points)
    {
        var finite = points.Where(p => double.IsFinite(p.Y)).ToList();
        if (finite.Count == 0) return new MetricStat(metric, direction, percent, 0, null, null, null, null, null);
        // The first best wins a tie: the epoch the value was first reached.
        var best = finite.Aggregate((a, b) => (direction == Better.Lower ? b.Y < a.Y : b.Y > a.Y) ? b : a);
        return new MetricStat(metric, direction, percent, finite.Count, finite[^1].Y, best.Y, best.X, finite.Min(p => p.Y), finite.Max(p => p.Y));
    }
}
