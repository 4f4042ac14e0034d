namespace AspireSimClr.Dashboard.Services.Live;

/// <summary>
/// The one place a page of the dashboard gets live state from (one per circuit): the run list, a run with its history,
/// a sweep, the system page, and the connection's state. Each view reads over REST, follows the hub, catches up after a
/// reconnect and is disposed with its page.
/// </summary>
/// <example>
/// <code>
/// _run = Live.Run(Id, InvokeAsync, StateHasChanged);
/// await _run.StartAsync(RendererInfo.IsInteractive);
/// ...
/// public void Dispose() => _run?.Dispose();
/// </code>
/// </example>
public sealed class LiveTrainer(ITrainingHub hub, TrainerApiClient api)
{
    public LiveRunList Runs(Func<Func<Task>, Task> dispatch, Action render) => new(hub, api, dispatch, render);

    public LiveRun Run(string id, Func<Func<Task>, Task> dispatch, Action render) => new(id, hub, api, dispatch, render);

    public LiveSweep Sweep(string id, Func<Func<Task>, Task> dispatch, Action render) => new(id, hub, api, dispatch, render);

    public LiveSystem System(Func<Func<Task>, Task> dispatch, Action render) => new(hub, api, dispatch, render);

    public HubState State => hub.State;

    /// <summary>Calls <paramref name="render"/> through <paramref name="dispatch"/> whenever the connection's state changes, until disposed.</summary>
    public IDisposable Connection(Func<Func<Task>, Task> dispatch, Action render)
    {
        // Off the hub's receive loop, which every page shares (see LiveView's dispatch); the chip reads the state when it renders.
        void Changed(HubState _) => Task.Run(() => dispatch(() => { render(); return Task.CompletedTask; }));
        hub.StateChanged += Changed;
        return new Unsubscribe(() => hub.StateChanged -= Changed);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
