namespace AspireSimClr.Dashboard.Services;

public readonly record struct ChartPoint(double X, double Y);

/// <summary>A span of the x axis: a chart's zoom.</summary>
public readonly record struct ChartRange(double Min, double Max)
{
    public double Width => Max - Min;
    public bool Contains(double x) => x >= Min && x <= Max;
}

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

    /// <summary>
    /// About <paramref name="count"/> round tick values covering [min, max]. A range too narrow for doubles to step
    /// through (a constant series that rounding made a hair wide, 0.001 to 0.0010000000000000002) gets one tick at its
    /// middle: counting up by a step below the values' precision would never reach the end.
    /// </summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int count = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) return [];
        if (!(max > min)) return [min];
        double rough = (max - min) / Math.Max(1, count);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= rough);
        double first = Math.Ceiling(min / step), last = Math.Floor(max / step + 1e-9);
        if (min + step == min || max + step == max || !(last - first < 1000)) return [min + (max - min) / 2];
        var ticks = new List<double>();
        for (double i = first; i <= last; i++) ticks.Add(Math.Round(i * step, 12));
        return ticks;
    }

    /// <summary>The point nearest to <paramref name="x"/> of points sorted by x, or null for none.</summary>
    public static ChartPoint? Nearest(IReadOnlyList<ChartPoint> points, double x)
    {
        if (points.Count == 0) return null;
        int low = 0, high = points.Count - 1;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (points[middle].X < x) low = middle + 1; else high = middle;
        }
        if (low > 0 && x - points[low - 1].X <= points[low].X - x) low--;
        return points[low];
    }

    /// <summary>The points of sorted <paramref name="points"/> inside <paramref name="range"/>, with one neighbour on each side so lines reach the edges.</summary>
    public static IReadOnlyList<ChartPoint> Within(IReadOnlyList<ChartPoint> points, ChartRange? range)
    {
        if (range is not { } r) return points;
        int first = 0;
        while (first < points.Count && points[first].X < r.Min) first++;
        int last = points.Count - 1;
        while (last >= 0 && points[last].X > r.Max) last--;
        first = Math.Max(0, first - 1);
        last = Math.Min(points.Count - 1, last + 1);
        return last < first ? [] : points.Skip(first).Take(last - first + 1).ToList();
    }

    /// <summary>
    /// <paramref name="range"/> moved by <paramref name="fraction"/> of its width, kept inside <paramref name="bounds"/>
    /// (panning a zoomed chart).
    /// </summary>
    public static ChartRange Pan(ChartRange range, double fraction, ChartRange bounds)
    {
        double shift = range.Width * fraction;
        shift = Math.Clamp(shift, bounds.Min - range.Min, Math.Max(bounds.Min - range.Min, bounds.Max - range.Max));
        return new ChartRange(range.Min + shift, range.Max + shift);
    }

    /// <summary>The series as CSV, one row per point: series, x, y (full precision, the data before downsampling).</summary>
    public static string ToCsv(string xLabel, IEnumerable<(string Name, IReadOnlyList<ChartPoint> Points)> series)
    {
        static string Quote(string text) => text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
        var lines = new List<string> { $"series,{Quote(xLabel)},value" };
        foreach (var (name, points) in series)
            lines.AddRange(points.Select(p => $"{Quote(name)},{p.X.ToString("R", System.Globalization.CultureInfo.InvariantCulture)},{p.Y.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
        return string.Join('\n', lines) + "\n";
    }
}
