namespace AspireSimClr.Dashboard.Services.Live;

/// <summary>The trainer's machine, queue and datasets: read over REST, and again when a run's lifecycle changes the queue.</summary>
public sealed class LiveSystem(ITrainingHub hub, TrainerApiClient api, Func<Func<Task>, Task> dispatch, Action render)
    : LiveView(hub, api, dispatch, render)
{
    public SystemStatus? Status { get; private set; }
    public IReadOnlyList<DatasetStatus> Datasets { get; private set; } = [];
    public HubState HubState => Hub.State;
    public Uri HubUrl => Hub.HubUrl;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var status = await Api.GetSystemAsync(cancellationToken);
        Datasets = await Api.GetDatasetsAsync(cancellationToken);
        Status = status;
    }

    protected override async Task OnAsync(RunChanged change)
    {
        if (change.Change is "created" or "started" or "resumed" or "deleted" || RunLifecycle.EndEvents.Contains(change.Change)) await ReadAsync();
    }
}
