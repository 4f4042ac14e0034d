using System.Text.Json.Serialization;

namespace AspireSimClr.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    /// <summary>The service stopped or died while the run was training; it can be resumed from its last checkpoint.</summary>
    Interrupted,
    /// <summary>A sweep's early stopping stopped it (ranked too low at a rung, or collapsed); it can be resumed like a cancelled run.</summary>
    StoppedEarly,
}

/// <summary>A training run as stored and as the API returns it.</summary>
public sealed record Run
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public RunStatus Status { get; init; } = RunStatus.Queued;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string Notes { get; init; } = "";
    public required TrainingConfig Config { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? FailureReason { get; init; }
    public int EpochsCompleted { get; init; }
    public double? LastLoss { get; init; }
    public double? BestKnnTop1 { get; init; }
    public double? LinearTop1 { get; init; }
    public double? ImagesPerSecond { get; init; }
    public double? EtaSeconds { get; init; }
    public bool HasCheckpoint { get; init; }
    /// <summary>1-based place in the queue while queued; null otherwise.</summary>
    public int? QueuePosition { get; init; }
    /// <summary>Sequence number of the last stored metric point (0 when none).</summary>
    public long LastSequence { get; init; }
    public bool ResumeRequested { get; init; }
    /// <summary>Goes up each time a resume supersedes recorded points: a client holding an older revision reloads the history.</summary>
    public long HistoryRevision { get; init; }
    public long QueueOrder { get; init; }
    /// <summary>Where and how the run computes, as resolved when training last started; null before it starts.</summary>
    public RunRuntime? Runtime { get; init; }
    /// <summary>Problems the health rules saw while it trained (collapse, nan-risk, knn-plateau, throughput-stall), each code once.</summary>
    public IReadOnlyList<RunWarning> Warnings { get; init; } = [];
    /// <summary>The sweep (or seed group) the run was queued in, if any.</summary>
    public string? SweepId { get; init; }
    /// <summary>The run this one continues from a checkpoint, with edited settings, and after how many of its epochs.</summary>
    public string? ForkedFrom { get; init; }
    public int? ForkedAtEpoch { get; init; }
    /// <summary>The trainer worker training the run (while it runs; the last one after), e.g. <c>host-1234-ab12</c>.</summary>
    public string? Worker { get; init; }
}

/// <summary>A health rule that fired during a run: its stable code, what it saw and what to do, and where.</summary>
public sealed record RunWarning(string Code, string Message, int Epoch, long GlobalStep, DateTimeOffset Time);

/// <summary>The device and numerics a run trains with, with the reason for an automatic choice.</summary>
public sealed record RunRuntime(string Device, string DeviceName, string Precision, bool ChannelsLast, string Reason)
{
    public string Summary => $"{DeviceName} · {Precision}{(ChannelsLast ? " · channels-last" : "")}";
}

/// <summary>One stored metric: a step, an epoch summary or an evaluation, numbered per run.</summary>
public sealed record MetricPoint
{
    public long Sequence { get; init; }
    public required string Kind { get; init; }   // "step", "epoch", "evaluation" or "health"
    public int Epoch { get; init; }
    public int? Step { get; init; }
    public long? GlobalStep { get; init; }
    public double? Loss { get; init; }
    public double? LearningRate { get; init; }
    public double? ImagesPerSecond { get; init; }
    public string? Evaluation { get; init; }      // "knn" or "linear"
    public double? Top1 { get; init; }
    public double? DurationSeconds { get; init; }
    /// <summary>Kind "health": the label-free signals.</summary>
    public HealthValues? Health { get; init; }
    public DateTimeOffset Time { get; init; }
}

/// <summary>
/// Label-free signals of one training batch: the L2-normalised embeddings' per-dimension standard
/// deviation against 1/√d (what it is for points spread uniformly over the sphere; 0 when collapsed),
/// effective rank (RankMe), mean cosine of positives and of negatives, alignment and uniformity, and
/// the step's gradient norm.
/// </summary>
public sealed record HealthValues(double NormalizedStd, double UniformStd, double EffectiveRank, double PositiveCosine, double NegativeCosine,
    double Alignment, double Uniformity, double GradientNorm);

/// <summary>
/// What an evaluation point measured: the kNN monitor, the linear probe on every training label, or a label-efficiency
/// point, "linear@1%" or "fine-tune@10%": the protocol trained on that share of the labels.
/// </summary>
public static class EvaluationKinds
{
    public const string Knn = "knn";
    public const string Linear = "linear";
    public const string FineTune = "fine-tune";

    /// <summary>The shares of the training labels of the label-efficiency evaluation.</summary>
    public static readonly double[] LabelFractions = [0.01, 0.1];

    public static string WithLabels(string protocol, double fraction) =>
        $"{protocol}@{(fraction * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}%";

    /// <summary>The protocol and share of labels of a kind: "linear" is the linear probe on all of them.</summary>
    public static bool TryReadLabels(string? kind, out string protocol, out double fraction)
    {
        (protocol, fraction) = ("", 0);
        if (kind == Linear) { (protocol, fraction) = (Linear, 1); return true; }
        if (kind?.Split('@') is not [var name, var share] || !share.EndsWith('%') || name is not (Linear or FineTune)) return false;
        if (!double.TryParse(share[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var percent)) return false;
        (protocol, fraction) = (name, percent / 100);
        return true;
    }
}

public static class MetricKinds
{
    public const string Step = "step";
    public const string Epoch = "epoch";
    public const string Evaluation = "evaluation";
    public const string Health = "health";
    /// <summary>An embedding map was made after this point's epoch (see <see cref="EmbeddingMap"/>).</summary>
    public const string Embedding = "embedding";
}

/// <summary>A run's lifecycle change: created, started, completed, failed, cancelled, interrupted, resumed, updated or deleted.</summary>
public sealed record RunChanged(string Change, Run Run);

/// <summary>Metric points of one run, in sequence order, with no gaps between consecutive batches.</summary>
public sealed record MetricBatch(string RunId, IReadOnlyList<MetricPoint> Points);

/// <summary>GET /api/runs/{id}/metrics: the points after the requested sequence number.</summary>
public sealed record MetricsResponse(string RunId, long LastSequence, IReadOnlyList<MetricPoint> Points);

/// <summary>The hub's path and method names.</summary>
public static class TrainingHubContract
{
    public const string Path = "/hubs/training";
    public const string SubscribeAll = nameof(SubscribeAll);
    public const string SubscribeRun = nameof(SubscribeRun);
    public const string UnsubscribeRun = nameof(UnsubscribeRun);
    public const string RunChanged = nameof(RunChanged);
    public const string Metrics = nameof(Metrics);
}
