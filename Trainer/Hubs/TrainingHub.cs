using Microsoft.AspNetCore.SignalR;

namespace AspireSimClr.Trainer.Hubs;

/// <summary>
/// Live training progress. Clients join the group of all runs or of one run and receive
/// <c>RunChanged(runEvent)</c> for lifecycle changes and <c>Metrics(batch)</c> for numbered metric points.
/// </summary>
public sealed class TrainingHub : Hub
{
    public const string Path = TrainingHubContract.Path;
    public const string AllRunsGroup = "runs";

    public static string RunGroup(string runId) => "run:" + runId;

    public Task SubscribeAll() => Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);
    public Task UnsubscribeAll() => Groups.RemoveFromGroupAsync(Context.ConnectionId, AllRunsGroup);
    public Task SubscribeRun(string runId) => Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId));
    public Task UnsubscribeRun(string runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));
}
