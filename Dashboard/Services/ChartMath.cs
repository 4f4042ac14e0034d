namespace AspireSimClr.Dashboard.Services;

public readonly record struct ChartPoint(double X, double Y);

/// <summary>Display-only transformations of metric series; the stored data stays exact.</summary>
public static class ChartMath
{
    /// <summary>TensorBoard's smoothing: an exponential moving average with its start-up bias removed.</summary>
    public static IReadOnlyList<ChartPoint> Ema(IReadOnlyList<ChartPoint> points, double smoothing)
    {
        if (smoothing <= 0 || points.Count == 0) return points;
        smoothing = Math.Min(smoothing, 0.999);
        var result = new ChartPoint[points.Count];
        double last = 0, weight = 0;
        for (int i = 0; i < points.Count; i++)
        {
            last = last * smoothing + (1 - smoothing) * points[i].Y;
            weight = weight * smoothing + (1 - smoothing);
            result[i] = points[i] with { Y = last / weight };
        }
        return result;
    }

    /// <summary>
    /// Largest-Triangle-Three-Buckets downsampling to at most <paramref name="maxPoints"/> points: keeps
    /// the first and last point and, per bucket, the point that best preserves the line's shape.
    /// </summary>
    public static IReadOnlyList<ChartPoint> Downsample(IReadOnlyList<ChartPoint> points, int maxPoints)
    {
        if (maxPoints < 3 || points.Count <= maxPoints) return points;
        var sampled = new List<ChartPoint>(maxPoints) { points[0] };
        double bucketSize = (double)(points.Count - 2) / (maxPoints - 2);
        int previous = 0;
        for (int bucket = 0; bucket < maxPoints - 2; bucket++)
        {
            int start = (int)Math.Floor(bucket * bucketSize) + 1;
            int end = Math.Min((int)Math.Floor((bucket + 1) * bucketSize) + 1, points.Count - 1);
            int nextStart = end, nextEnd = Math.Min((int)Math.Floor((bucket + 2) * bucketSize) + 1, points.Count);
            double avgX = 0, avgY = 0;
            int count = Math.Max(1, nextEnd - nextStart);
            for (int i = nextStart; i < nextStart + count && i < points.Count; i++) { avgX += points[i].X; avgY += points[i].Y; }
            avgX /= count; avgY /= count;

            double bestArea = -1;
            int best = start;
            for (int i = start; i < end; i++)
            {
                double area = Math.Abs((points[previous].X - avgX) * (points[i].Y - points[previous].Y) - (points[previous].X - points[i].X) * (avgY - points[previous].Y));
                if (area > bestArea) { bestArea = area; best = i; }
            }
            sampled.Add(points[best]);
            previous = best;
        }
        sampled.Add(points[^1]);
        return sampled;
    }

    /// <summary>About <paramref name="count"/> round tick values covering [min, max].</summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int count = 5)
    {
        if (!(max > min)) return [min];
        double rough = (max - min) / Math.Max(1, count);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= rough);
        var ticks = new List<double>();
        for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step) ticks.Add(Math.Round(t, 12));
        return ticks;
    }
}
