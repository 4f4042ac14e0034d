namespace AspireSimClr.Engine.Health;

/// <summary>A problem a run shows while it trains; <see cref="Code"/> is stable (collapse, nan-risk, knn-plateau, throughput-stall).</summary>
public sealed record HealthIssue(string Code, string Message);

/// <summary>
/// Rules over a run's label-free signals and progress that raise a warning once, when the run first
/// shows the problem:
/// <list type="bullet">
/// <item>collapse: the normalised embeddings' standard deviation below a fifth of 1/√d, or an effective
/// rank below 2 (every image mapped to nearly the same point);</item>
/// <item>nan-risk: a non-finite gradient norm, or one above ten times the median of those before it (the step
/// before a diverging loss);</item>
/// <item>knn-plateau: three kNN evaluations in a row that gain less than 0.2 points over the best before them;</item>
/// <item>throughput-stall: an epoch at less than half the median pace of the (up to five) epochs before it (at least three),
/// counted in pixels of the views per second, so the growing views of progressive resolution are not a stall.</item>
/// </list>
/// </summary>
public sealed class HealthMonitor
{
    public const string Collapse = "collapse";
    public const string NanRisk = "nan-risk";
    public const string KnnPlateau = "knn-plateau";
    public const string ThroughputStall = "throughput-stall";

    private readonly HashSet<string> _raised = [];
    private readonly List<double> _gradientNorms = [];
    private readonly List<double> _knn = [];
    private readonly List<double> _epochPixelRates = [];

    public IReadOnlyCollection<string> Raised => _raised;

    public HealthIssue? Observe(EmbeddingHealth health, double gradientNorm)
    {
        HealthIssue? issue = null;
        if (health.NormalizedStd < 0.2 * health.UniformStd || health.EffectiveRank < 2)
            issue = Raise(Collapse, $"The embeddings are collapsing: their standard deviation is {health.NormalizedStd:G3} (uniform on the sphere: {health.UniformStd:G3}) and their effective rank {health.EffectiveRank:F1}. Lower the learning rate, raise the batch size or check the augmentations.");
        if (!double.IsFinite(gradientNorm))
            issue ??= Raise(NanRisk, $"The gradient norm is {gradientNorm}: the next steps will diverge. Lower the learning rate.");
        else if (_gradientNorms.Count >= 5 && gradientNorm > 10 * Median(_gradientNorms))
            issue ??= Raise(NanRisk, $"The gradient norm rose to {gradientNorm:G3}, over ten times its median so far ({Median(_gradientNorms):G3}): the loss may diverge. Lower the learning rate or use warm-up.");
        if (double.IsFinite(gradientNorm)) _gradientNorms.Add(gradientNorm);
        return issue;
    }

    public HealthIssue? ObserveKnn(double top1)
    {
        _knn.Add(top1);
        if (_knn.Count < 4) return null;
        double bestBefore = _knn.Take(_knn.Count - 3).Max();
        return _knn.TakeLast(3).All(k => k - bestBefore < 0.002)
            ? Raise(KnnPlateau, $"kNN accuracy has not improved for three evaluations (best {100 * _knn.Max():F2} %): more epochs of this schedule add little.")
            : null;
    }

    /// <param name="pixelsPerImage">The pixels of an image's views in the epoch (<see cref="Augmentation.ProgressiveResolution.PixelsPerImage"/>).</param>
    public HealthIssue? ObserveEpoch(double imagesPerSecond, double pixelsPerImage)
    {
        double pixelRate = imagesPerSecond * pixelsPerImage;
        var recent = _epochPixelRates.TakeLast(5).ToList();
        HealthIssue? issue = null;
        if (recent.Count >= 3 && pixelRate < 0.5 * Median(recent))
            issue = Raise(ThroughputStall, $"The last epoch trained at {imagesPerSecond:F0} images/s, under half the pace of the epochs before it ({Median(recent) / pixelsPerImage:F0} images/s at this epoch's view size): something else is using the machine, or memory is swapping.");
        _epochPixelRates.Add(pixelRate);
        return issue;
    }

    private HealthIssue? Raise(string code, string message) => _raised.Add(code) ? new HealthIssue(code, message) : null;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
