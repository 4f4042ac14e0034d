namespace AspireSimClr.Dashboard.Services;

/// <summary>
/// After the hub reconnects, the trainer's REST API can still be refused for a few seconds: it may be
/// starting, or the client's circuit breaker, opened during the outage, stays open for its break
/// duration. A page's read is therefore tried again, with growing pauses, until it succeeds, the hub
/// is no longer connected, or about half a minute has passed.
/// </summary>
public static class CatchUpAfterReconnect
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8)];

    /// <param name="read">Reads and renders; returns whether the trainer answered.</param>
    public static async Task RunAsync(Func<Task<bool>> read, ITrainingHub hub, CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var pause in Pauses.Prepend(TimeSpan.Zero))
            {
                if (pause > TimeSpan.Zero) await Task.Delay(pause, cancellationToken);
                if (hub.State != HubState.Connected || cancellationToken.IsCancellationRequested) return;
                if (await read()) return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page was closed.
        }
    }
}
