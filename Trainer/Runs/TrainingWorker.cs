using AspireSimClr.Engine;
using AspireSimClr.Trainer.Hubs;
using AspireSimClr.Trainer.Telemetry;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// Trains queued runs, oldest first, <see cref="TrainerOptions.MaxConcurrentRuns"/> at a time.
/// Engine events go to the store first, then to SignalR and telemetry. A failing run is marked
/// failed with its reason and the worker carries on with the next.
/// </summary>
public sealed class TrainingWorker(
    RunStore store,
    RunCoordinator coordinator,
    TrainingBroadcaster broadcaster,
    TrainerTelemetry telemetry,
    IOptions<TrainerOptions> options,
    TimeProvider time,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly object _claimLock = new();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var interrupted = store.MarkRunningAsInterrupted("The trainer stopped while this run was training; resume it to continue from its last checkpoint.");
        if (interrupted.Count > 0) logger.LogWarning("Marked {Count} run(s) left running by a previous process as interrupted", interrupted.Count);
        if (options.Value.AutoResumeInterrupted)
        {
            // Those a crash left running and those a shutdown interrupted, oldest first.
            foreach (var run in store.List(RunStatus.Interrupted).OrderBy(r => r.QueueOrder))
            {
                coordinator.Resume(run.Id);
                logger.LogInformation("Resuming interrupted run {RunId} (Trainer:AutoResumeInterrupted)", run.Id);
            }
        }
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.MaxConcurrentRuns)).Select(_ => Task.Run(() => WorkLoop(stoppingToken), stoppingToken)));

    private async Task WorkLoop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var run = Claim();
            if (run is null)
            {
                try { await coordinator.WaitForWorkAsync(TimeSpan.FromSeconds(5), stoppingToken); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            await Train(run, stoppingToken);
        }
    }

    private Run? Claim()
    {
        lock (_claimLock)
        {
            var next = store.NextQueued();
            if (next is null) return null;
            return store.Update(next.Id, r => r with { Status = RunStatus.Running, StartedAt = r.StartedAt ?? time.GetUtcNow(), FailureReason = null });
        }
    }

    private async Task Train(Run run, CancellationToken stoppingToken)
    {
        var runToken = coordinator.Register(run.Id, stoppingToken);
        var recorder = new RunProgressRecorder(store, run.Id);
        using var tracking = telemetry.StartRun(run);
        var checkpoint = coordinator.CheckpointPath(run.Id);
        var trainingOptions = new TrainingLoopOptions
        {
            CheckpointDir = options.Value.RunFolder(run.Id),
            ResumeFrom = run.ResumeRequested && File.Exists(checkpoint) ? checkpoint : null,
            ResumeWithConfig = run.ForkedFrom is not null ? run.Config : null,
        };
        broadcaster.Publish(new RunChanged("started", store.Get(run.Id)!));
        logger.LogInformation("Training run {RunId} ({Method}, {Model} on {Dataset})", run.Id, run.Config.Method, run.Config.Model, run.Config.Dataset);

        RunStatus final;
        string? reason = null;
        try
        {
            (final, reason) = await Task.Run(async () =>
            {
                var lastFlush = DateTime.UtcNow;
                await foreach (var e in new Engine.TrainingLoop().RunAsync(run.Config, trainingOptions, runToken))
                {
                    bool flushNow = DateTime.UtcNow - lastFlush > TimeSpan.FromMilliseconds(200);
                    var stored = recorder.Record(e, flushNow);
                    if (stored.Count > 0) lastFlush = DateTime.UtcNow;
                    broadcaster.Publish(run.Id, stored);
                    if (e is RunStarted && recorder.SupersededPoints > 0)
                    {
                        logger.LogInformation("Run {RunId} resumes at an earlier position: {Count} recorded point(s) superseded", run.Id, recorder.SupersededPoints);
                        broadcaster.Publish(new RunChanged("rewound", store.Get(run.Id)!));
                    }
                    if (e is HealthWarning warning)
                    {
                        logger.LogWarning("Run {RunId} health warning {Code} at epoch {Epoch}: {Message}", run.Id, warning.Code, warning.Epoch + 1, warning.Message);
                        broadcaster.Publish(new RunChanged("warning", store.Get(run.Id)!));
                    }
                    tracking.Observe(e);
                    if (e is RunStopped) return StoppedStatus(stoppingToken);
                }
                return (RunStatus.Completed, (string?)null);
            }, CancellationToken.None);
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            // Cancelled before the engine had a position to save (while loading or decoding the data).
            (final, reason) = StoppedStatus(stoppingToken);
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever breaks while the trainer shuts down (libtorch torn down under a step the shutdown
            // timeout cut short, say) is the shutdown's doing, not the run's: it stays resumable.
            (final, reason) = StoppedStatus(stoppingToken);
            logger.LogWarning(ex, "Run {RunId} was interrupted by the shutdown", run.Id);
        }
        catch (Exception ex)
        {
            final = RunStatus.Failed;
            reason = Describe(ex);
            tracking.Fail(reason);
            logger.LogError(ex, "Run {RunId} failed", run.Id);
        }
        finally
        {
            broadcaster.Publish(run.Id, recorder.Flush());
            coordinator.Unregister(run.Id);
        }

        var finished = store.Update(run.Id, r => r with
        {
            Status = final, FailureReason = reason, FinishedAt = time.GetUtcNow(), ResumeRequested = false, EtaSeconds = null,
        })!;
        broadcaster.Publish(new RunChanged(final.ToString().ToLowerInvariant(), store.Get(run.Id)!));
        logger.LogInformation("Run {RunId} ended {Status}", finished.Id, finished.Status);
    }

    /// <summary>A run that stopped early was cancelled by a user, or interrupted by the trainer's shutdown.</summary>
    private static (RunStatus Status, string? Reason) StoppedStatus(CancellationToken stoppingToken) => stoppingToken.IsCancellationRequested
        ? (RunStatus.Interrupted, "The trainer was shut down during this run; resume it to continue from its last checkpoint.")
        : (RunStatus.Cancelled, null);

    private static string Describe(Exception ex) => ex switch
    {
        InvalidConfigException invalid => "Invalid configuration: " + string.Join("; ", invalid.Errors),
        OutOfMemoryException => "Out of memory: lower the batch size or use a smaller model.",
        _ when ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => "Out of memory on the device: " + ex.Message,
        _ => ex.Message,
    };
}
