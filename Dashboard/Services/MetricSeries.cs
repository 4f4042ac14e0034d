namespace AspireSimClr.Dashboard.Services;

/// <summary>
/// A run's metric points as the page holds them: history from REST merged with the live stream by
/// sequence number, without duplicates; a gap in the stream is reported so the page can fill it from REST.
/// History read over REST may skip sequence numbers (points a resume superseded); its cursor says how
/// far it read. A run whose history revision changed is reloaded from the start.
/// </summary>
public sealed class MetricSeries
{
    private readonly List<MetricPoint> _points = [];

    public IReadOnlyList<MetricPoint> Points => _points;

    /// <summary>The sequence number read up to: the next REST read continues after it, the stream follows on from it.</summary>
    public long LastSequence { get; private set; }

    /// <summary>The run's history revision these points belong to.</summary>
    public long HistoryRevision { get; private set; }

    /// <summary>Adds streamed points in order; returns false when they do not follow on (a gap to fetch), adding what does.</summary>
    public bool Append(IEnumerable<MetricPoint> points)
    {
        foreach (var point in points.OrderBy(p => p.Sequence))
        {
            if (point.Sequence <= LastSequence) continue;
            if (point.Sequence != LastSequence + 1) return false;
            _points.Add(point);
            LastSequence = point.Sequence;
        }
        return true;
    }

    /// <summary>Adds a REST read: every point after the cursor, which then moves to where the read ended.</summary>
    public void AppendHistory(MetricsResponse response)
    {
        foreach (var point in response.Points.OrderBy(p => p.Sequence))
        {
            if (point.Sequence <= LastSequence) continue;
            _points.Add(point);
            LastSequence = point.Sequence;
        }
        LastSequence = Math.Max(LastSequence, response.LastSequence);
    }

    /// <summary>Forgets every point when the run's history was rewritten (a resume superseded points); true when it did.</summary>
    public bool ResetIfRevised(long historyRevision)
    {
        if (historyRevision == HistoryRevision) return false;
        _points.Clear();
        LastSequence = 0;
        HistoryRevision = historyRevision;
        return true;
    }

    public IReadOnlyList<ChartPoint> StepLoss() =>
        _points.Where(p => p.Kind == MetricKinds.Step && p.Loss is not null).Select(p => new ChartPoint(p.GlobalStep ?? 0, p.Loss!.Value)).ToList();

    public IReadOnlyList<ChartPoint> StepLearningRate() =>
        _points.Where(p => p.Kind == MetricKinds.Step && p.LearningRate is not null).Select(p => new ChartPoint(p.GlobalStep ?? 0, p.LearningRate!.Value)).ToList();

    public IReadOnlyList<ChartPoint> EpochLoss() =>
        _points.Where(p => p.Kind == MetricKinds.Epoch && p.Loss is not null).Select(p => new ChartPoint(p.Epoch + 1, p.Loss!.Value)).ToList();

    public IReadOnlyList<ChartPoint> EpochImagesPerSecond() =>
        _points.Where(p => p.Kind == MetricKinds.Epoch && p.ImagesPerSecond is not null).Select(p => new ChartPoint(p.Epoch + 1, p.ImagesPerSecond!.Value)).ToList();

    public IReadOnlyList<ChartPoint> Knn() =>
        _points.Where(p => p.Kind == MetricKinds.Evaluation && p.Evaluation == EvaluationKinds.Knn && p.Top1 is not null).Select(p => new ChartPoint(p.Epoch + 1, p.Top1!.Value)).ToList();

    public IReadOnlyList<ChartPoint> Linear() =>
        _points.Where(p => p.Kind == MetricKinds.Evaluation && p.Evaluation == EvaluationKinds.Linear && p.Top1 is not null).Select(p => new ChartPoint(p.Epoch + 1, p.Top1!.Value)).ToList();

    /// <summary>
    /// Top-1 against the share of training labels (<see cref="LabelShareAxis"/>) for a protocol, "linear" or "fine-tune",
    /// from the last epoch that has label-efficiency points; the linear probe's curve ends at 100 % with "linear".
    /// </summary>
    public IReadOnlyList<ChartPoint> LabelEfficiency(string protocol)
    {
        var points = _points.Where(p => p.Kind == MetricKinds.Evaluation && p.Top1 is not null)
            .Select(p => (Point: p, Read: EvaluationKinds.TryReadLabels(p.Evaluation, out var name, out var fraction), Protocol: name, Fraction: fraction))
            .Where(x => x.Read).ToList();
        var partial = points.Where(x => x.Fraction < 1).ToList();
        if (partial.Count == 0) return [];
        int epoch = partial.Max(x => x.Point.Epoch);
        return points.Where(x => x.Protocol == protocol && x.Point.Epoch == epoch)
            .Select(x => new ChartPoint(LabelShareAxis.X(x.Fraction), x.Point.Top1!.Value)).OrderBy(p => p.X).ToList();
    }

    /// <summary>The epochs (0-based) an embedding map was made after.</summary>
    public IReadOnlyList<int> EmbeddingEpochs() => _points.Where(p => p.Kind == MetricKinds.Embedding).Select(p => p.Epoch).ToList();

    /// <summary>One health signal by global step.</summary>
    public IReadOnlyList<ChartPoint> Health(Func<HealthValues, double> signal) =>
        _points.Where(p => p.Kind == MetricKinds.Health && p.Health is not null).Select(p => new ChartPoint(p.GlobalStep ?? 0, signal(p.Health!))).ToList();

    /// <summary>The latest measured health signals, or null before the first.</summary>
    public HealthValues? LatestHealth() => _points.LastOrDefault(p => p.Kind == MetricKinds.Health)?.Health;

    /// <summary>Steps per epoch as seen in the data, to place epoch points on a step axis.</summary>
    public double StepsPerEpoch()
    {
        var firstEpochSteps = _points.Where(p => p.Kind == MetricKinds.Step && p.Epoch == 0).Select(p => p.Step ?? 0).DefaultIfEmpty(-1).Max() + 1;
        return Math.Max(1, firstEpochSteps);
    }

    public string ToCsv()
    {
        var lines = new List<string> { "sequence,kind,epoch,step,global_step,loss,learning_rate,images_per_second,evaluation,top1,duration_s,time" };
        static string N(double? v) => v?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "";
        lines.AddRange(_points.Select(p => string.Join(',', p.Sequence, p.Kind, p.Epoch, p.Step?.ToString() ?? "", p.GlobalStep?.ToString() ?? "",
            N(p.Loss), N(p.LearningRate), N(p.ImagesPerSecond), p.Evaluation ?? "", N(p.Top1), N(p.DurationSeconds), p.Time.ToString("O"))));
        return string.Join('\n', lines) + "\n";
    }
}
