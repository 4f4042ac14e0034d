namespace AspireSimClr.Dashboard.Services.Live;

/// <summary>
/// One run and its whole history: the run and every metric point after the last one held are read over REST, and the
/// hub's points are appended by sequence number (a gap, or a rewound history, makes it read again); an epoch or an
/// evaluation reads the run's summary again; a lifecycle change replaces the run as pushed.
/// </summary>
public sealed class LiveRun(string id, ITrainingHub hub, TrainerApiClient api, Func<Func<Task>, Task> dispatch, Action render)
    : LiveView(hub, api, dispatch, render)
{
    private readonly List<string> _changes = [];
    private int _pushed;

    public string Id { get; } = id;
    public Run? Run { get; private set; }
    /// <summary>The trainer has no run of this id.</summary>
    public bool Missing { get; private set; }
    public MetricSeries Metrics { get; } = new();
    /// <summary>The lifecycle changes seen while the page was open, oldest first ("12:00:01 started").</summary>
    public IReadOnlyList<string> Changes => _changes;

    /// <summary>The run as an action answered (resume, rename), until the hub pushes a newer one.</summary>
    public void Replace(Run run) => Run = run;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        int pushed = _pushed;
        var run = await Api.GetRunAsync(Id, cancellationToken);
        Missing = run is null;
        if (run is null) return;
        // A change pushed while this read was in flight is newer than what the read returned.
        if (pushed == _pushed) Run = run;
        Metrics.ResetIfRevised(run.HistoryRevision);
        Metrics.AppendHistory(await Api.GetMetricsAsync(Id, Metrics.LastSequence, cancellationToken));
    }

    protected override async Task OnAsync(MetricBatch batch)
    {
        if (batch.RunId != Id) return;
        if (!Metrics.Append(batch.Points)) await ReadAsync();
        if (Run is { Status: RunStatus.Running } run && batch.Points.LastOrDefault(p => p.Kind == MetricKinds.Step) is { } step) Run = run with { LastLoss = step.Loss };
        if (batch.Points.Any(p => p.Kind is MetricKinds.Epoch or MetricKinds.Evaluation)) await ReadAsync();
    }

    protected override async Task OnAsync(RunChanged change)
    {
        if (change.Run.Id != Id) return;
        _pushed++;
        Run = change.Run;
        Missing = change.Change == "deleted";
        _changes.Add($"{DateTime.Now:HH:mm:ss} {change.Change}");
        if (change.Run.HistoryRevision != Metrics.HistoryRevision) await ReadAsync();
    }
}
