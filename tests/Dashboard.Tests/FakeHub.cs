using AspireSimClr.Dashboard.Services;

namespace AspireSimClr.Dashboard.Tests;

/// <summary>The trainer's hub for component and live-view tests: the test raises what the hub would push.</summary>
public sealed class FakeHub : ITrainingHub
{
    public HubState State { get; set; } = HubState.Connected;
    public Uri HubUrl { get; } = new("http://trainer/hubs/training");
    public event Action<RunChanged>? RunChanged;
    public event Action<MetricBatch>? Metrics;
    public event Action<HubState>? StateChanged;
    public event Action? Connected;

    public int Subscribers => (RunChanged?.GetInvocationList().Length ?? 0) + (Metrics?.GetInvocationList().Length ?? 0) + (Connected?.GetInvocationList().Length ?? 0)
        + (StateChanged?.GetInvocationList().Length ?? 0);

    public void Push(RunChanged change) => RunChanged?.Invoke(change);
    public void Push(MetricBatch batch) => Metrics?.Invoke(batch);

    public void Reconnect()
    {
        State = HubState.Connected;
        StateChanged?.Invoke(State);
        Connected?.Invoke();
    }
}
