namespace AspireSimClr.Dashboard.Services.Live;

/// <summary>
/// A sweep with its runs and early-stopping decisions: read over REST (again while its runs changed during the read); a pushed change of
/// one of its runs replaces or removes it, and a decision at a rung reads the sweep again.
/// </summary>
public sealed class LiveSweep(string id, ITrainingHub hub, TrainerApiClient api, Func<Func<Task>, Task> dispatch, Action render)
    : LiveView(hub, api, dispatch, render)
{
    private int _pushed;

    public string Id { get; } = id;
    public SweepDetail? Detail { get; private set; }
    public bool Missing { get; private set; }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        int pushed;
        SweepDetail? detail;
        do
        {
            pushed = _pushed;
            detail = await Api.GetSweepAsync(Id, cancellationToken);
        }
        while (pushed != _pushed);   // its answer may predate a change of one of its runs
        Detail = detail;
        Missing = detail is null;
    }

    protected override Task OnAsync(RunChanged change)
    {
        if (change.Run.SweepId != Id) return Task.CompletedTask;
        _pushed++;
        if (Detail is not { } detail) return Task.CompletedTask;
        // A decision of its early stopping is read with the sweep (the change carries only the run).
        if (change.Change is "rung" or "stopped-early") return ReadAsync();
        var runs = detail.Runs.Select(r => r.Id == change.Run.Id ? change.Run : r).ToList();
        if (change.Change == "deleted") runs.RemoveAll(r => r.Id == change.Run.Id);
        Detail = detail with { Runs = runs };
        return Task.CompletedTask;
    }
}
