namespace AspireSimClr.Dashboard.Services.Live;

/// <summary>
/// Every run, newest first: read over REST; a pushed change replaces, adds or removes its run (and reads the list again
/// when queue positions moved); a step's loss updates the run's last loss; an epoch or evaluation reads that run again.
/// </summary>
public sealed class LiveRunList(ITrainingHub hub, TrainerApiClient api, Func<Func<Task>, Task> dispatch, Action render)
    : LiveView(hub, api, dispatch, render)
{
    /// <summary>Changes that move queue positions: a run added, started or queued again, and every end (the change named after its status).</summary>
    private static readonly string[] QueueMoves = ["created", "started", "resumed", .. RunLifecycle.EndEvents];
    private List<Run> _runs = [];
    private readonly Dictionary<string, int> _pushed = [];
    private readonly HashSet<string> _refreshing = [];

    public IReadOnlyList<Run> Runs => _runs;

    /// <summary>Takes a run off the list at once (the page deleted it), before the hub says so.</summary>
    public void Remove(string id) => _runs.RemoveAll(r => r.Id == id);

    protected override async Task LoadAsync(CancellationToken cancellationToken) =>
        _runs = (await Api.ListRunsAsync(cancellationToken)).ToList();

    protected override async Task OnAsync(RunChanged change)
    {
        _pushed[change.Run.Id] = _pushed.GetValueOrDefault(change.Run.Id) + 1;
        int index = _runs.FindIndex(r => r.Id == change.Run.Id);
        if (change.Change == "deleted") { if (index >= 0) _runs.RemoveAt(index); }
        else if (index >= 0) _runs[index] = change.Run;
        else _runs.Insert(0, change.Run);
        if (QueueMoves.Contains(change.Change) && _runs.Any(r => r.Status == RunStatus.Queued)) await ReadAsync();
    }

    protected override async Task OnAsync(MetricBatch batch)
    {
        int index = _runs.FindIndex(r => r.Id == batch.RunId);
        if (index < 0) return;
        if (batch.Points.LastOrDefault(p => p.Kind == MetricKinds.Step) is { } step) _runs[index] = _runs[index] with { LastLoss = step.Loss };
        if (!batch.Points.Any(p => p.Kind is MetricKinds.Epoch or MetricKinds.Evaluation) || !_refreshing.Add(batch.RunId)) return;
        try
        {
            int pushed = _pushed.GetValueOrDefault(batch.RunId);
            var fresh = await Api.GetRunAsync(batch.RunId);
            // Keep a lifecycle change pushed while the read was in flight: it is newer.
            if (fresh is not null && pushed == _pushed.GetValueOrDefault(batch.RunId) && _runs.FindIndex(r => r.Id == batch.RunId) is var i and >= 0) _runs[i] = fresh;
        }
        catch (HttpRequestException) { }
        finally { _refreshing.Remove(batch.RunId); }
    }
}
