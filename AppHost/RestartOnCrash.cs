using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>Marks a resource that the AppHost starts again when its process dies (exits with a non-zero code without being asked to stop).</summary>
internal sealed class RestartOnCrashAnnotation : IResourceAnnotation;

internal static class RestartOnCrashExtensions
{
    /// <summary>
    /// Starts the resource again when its process dies, as a crash (SIGKILL, out of memory, an unhandled
    /// exception) would leave it. A stop from the Aspire dashboard exits cleanly and is left alone.
    /// </summary>
    public static IResourceBuilder<T> WithRestartOnCrash<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        builder.ApplicationBuilder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CrashRestarter>());
        return builder.WithAnnotation(new RestartOnCrashAnnotation());
    }
}

/// <summary>Watches resource states and restarts crashed resources, backing off when one keeps crashing.</summary>
internal sealed class CrashRestarter(ResourceNotificationService notifications, ResourceCommandService commands, ILogger<CrashRestarter> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var crashes = new Dictionary<string, int>();
        var pending = new HashSet<string>();
        var stopping = new HashSet<string>();
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (!update.Resource.TryGetLastAnnotation<RestartOnCrashAnnotation>(out _)) continue;
                var state = update.Snapshot.State?.Text;
                if (state == KnownResourceStates.Running && update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                    crashes[update.ResourceId] = 0;
                // A stop asked for (Aspire dashboard, AppHost shutdown) passes through Stopping first and may also end with a non-zero code.
                if (state == KnownResourceStates.Stopping) stopping.Add(update.ResourceId);
                else if (state == KnownResourceStates.Starting || state == KnownResourceStates.Running) stopping.Remove(update.ResourceId);
                bool crashed = (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished)
                    && update.Snapshot.ExitCode is { } code && code != 0 && !stopping.Contains(update.ResourceId);
                lock (pending)
                {
                    if (!crashed || !pending.Add(update.ResourceId)) continue;
                }

                int count = crashes[update.ResourceId] = crashes.GetValueOrDefault(update.ResourceId) + 1;
                var delay = TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, count - 1)));
                logger.LogWarning("{Resource} exited with code {ExitCode}; starting it again in {Delay} s (crash {Count} in a row)",
                    update.ResourceId, update.Snapshot.ExitCode, delay.TotalSeconds, count);
                var resource = update.Resource;
                var id = update.ResourceId;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await Task.Delay(delay, stoppingToken);
                        var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, stoppingToken);
                        if (!result.Success) logger.LogError("Could not start {Resource} again: {Message}", id, result.Message);
                    }
                    catch (OperationCanceledException) { }
                    finally
                    {
                        lock (pending) pending.Remove(id);
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
