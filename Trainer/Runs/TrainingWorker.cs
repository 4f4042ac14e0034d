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
    Sweeps.SweepSearchDriver searches,
    Alerts.RunAlerts alerts,
    TrainingBroadcaster broadcaster,
    TrainerTelemetry telemetry,
    IOptions<TrainerOptions> options,
    TimeProvider time,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly object _claimLock = new();
    private readonly IReadOnlyList<string> _devices = Engine.Runtime.DeviceSelector.Available();
    private const string LeaseLostReason = "The trainer training this run stopped answering (its lease ran out); resume it to continue from its last checkpoint.";

    private string Worker => options.Value.WorkerName;
    private TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, options.Value.LeaseSeconds));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // An SQLite file has one trainer: what is left running belongs to a process that is gone. A shared database's
        // running runs may be other trainers' work; only those whose lease ran out are interrupted.
        int interrupted = store.Shared
            ? store.Queue.InterruptExpiredLeases(time.GetUtcNow(), LeaseLostReason).Count
            : store.Queue.InterruptAllRunning("The trainer stopped while this run was training; resume it to continue from its last checkpoint.").Count;
        if (interrupted > 0) logger.LogWarning("Marked {Count} run(s) left running by a trainer that is gone as interrupted", interrupted);
        logger.LogInformation("Worker {Worker} trains on {Devices}; runs kept in {Store}", Worker, string.Join(", ", _devices), store.Description);
        if (options.Value.AutoResumeInterrupted)
        {
            // Those a crash left running and those a shutdown interrupted, oldest first.
            foreach (var run in store.Runs.List(RunStatus.Interrupted).OrderBy(r => r.QueueOrder))
            {
                coordinator.Resume(run.Id);
                logger.LogInformation("Resuming interrupted run {RunId} (Trainer:AutoResumeInterrupted)", run.Id);
            }
        }
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.MaxConcurrentRuns)).Select(_ => Task.Run(() => WorkLoop(stoppingToken), stoppingToken))
            .Append(Task.Run(() => LeaseLoop(stoppingToken), stoppingToken)));

    /// <summary>
    /// Every third of a lease: renews the leases of the runs this worker trains (stopping any whose lease is gone, and
    /// cancelling those a user cancelled through another trainer), and interrupts runs whose worker let its lease run out
    /// (resuming them here when Trainer:AutoResumeInterrupted is set).
    /// </summary>
    private async Task LeaseLoop(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    RenewLeases();
                    foreach (var run in store.Queue.InterruptExpiredLeases(time.GetUtcNow(), LeaseLostReason))
                    {
                        logger.LogWarning("Run {RunId} interrupted: worker {Worker} let its lease run out", run.Id, run.Worker);
                        broadcaster.Publish(new RunChanged("interrupted", run));
                        if (options.Value.AutoResumeInterrupted) coordinator.Resume(run.Id);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database may be briefly unreachable; the next tick tries again, well within the lease.
                    logger.LogWarning(ex, "Lease upkeep failed; retrying");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private void RenewLeases()
    {
        foreach (var runId in coordinator.RunningHere())
        {
            if (!store.Queue.RenewLease(runId, Worker, time.GetUtcNow() + Lease, out bool cancel))
            {
                logger.LogWarning("Worker {Worker} lost its lease on run {RunId}: stopping it here", Worker, runId);
                coordinator.StopHere(runId);
            }
            else if (cancel) coordinator.StopHere(runId);
        }
    }

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
            var now = time.GetUtcNow();
            return store.Queue.Claim(Worker, config => Engine.Runtime.DeviceSelector.CanRun(config.Device, _devices), now, now + Lease);
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
        broadcaster.Publish(new RunChanged("started", store.Runs.Get(run.Id)!));
        logger.LogInformation("Training run {RunId} ({Method}, {Model} on {Dataset})", run.Id, run.Config.Method, run.Config.Model, run.Config.Dataset);

        RunStatus final;
        string? reason = null;
        var stopper = Sweeps.EarlyStopper.For(run, store, time);
        string? stoppedEarly = null;
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
                        broadcaster.Publish(new RunChanged("rewound", store.Runs.Get(run.Id)!));
                    }
                    if (e is HealthWarning warning)
                    {
                        logger.LogWarning("Run {RunId} health warning {Code} at epoch {Epoch}: {Message}", run.Id, warning.Code, warning.Epoch + 1, warning.Message);
                        var warned = store.Runs.Get(run.Id)!;
                        broadcaster.Publish(new RunChanged("warning", warned));
                        alerts.Warned(warned, warning);
                    }
                    tracking.Observe(e);
                    if (stopper is not null && stoppedEarly is null && EarlyStop(run, stopper, e) is { } why)
                    {
                        stoppedEarly = why;
                        coordinator.StopHere(run.Id);
                    }
                    if (e is RunStopped) return StoppedStatus(stoppingToken, stoppedEarly);
                }
                return (RunStatus.Completed, (string?)null);
            }, CancellationToken.None);
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            // Cancelled before the engine had a position to save (while loading or decoding the data).
            (final, reason) = StoppedStatus(stoppingToken, stoppedEarly);
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever breaks while the trainer shuts down (libtorch torn down under a step the shutdown
            // timeout cut short, say) is the shutdown's doing, not the run's: it stays resumable.
            (final, reason) = StoppedStatus(stoppingToken, stoppedEarly);
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

        // Only while this worker still holds the run: one whose lease ran out may already train elsewhere.
        bool ended = store.Runs.Move(run.Id, new RunMove(final)
        {
            From = [RunStatus.Running], HeldBy = Worker, Reason = reason, Finished = time.GetUtcNow(), ResumeRequested = false, ClearEta = true,
        });
        var current = store.Runs.Get(run.Id);
        if (!ended)
        {
            logger.LogWarning("Run {RunId} left to its current holder ({Status}, worker {Worker})", run.Id, current?.Status, current?.Worker);
            return;
        }
        broadcaster.Publish(new RunChanged(RunLifecycle.EventName(final), current!));
        logger.LogInformation("Run {RunId} ended {Status}", run.Id, final);
        ContinueSearch(current!);
        alerts.RunEnded(current!);
    }

    /// <summary>A model-based sweep queues its next run from this run's result; a proposal that fails leaves the sweep short, never the worker down.</summary>
    private void ContinueSearch(Run ended)
    {
        try
        {
            searches.OnRunEnded(ended);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or System.Text.Json.JsonException)
        {
            logger.LogError(ex, "Sweep {SweepId} could not queue its next run after {RunId}", ended.SweepId, ended.Id);
        }
    }

    /// <summary>
    /// A run that stopped before its end was interrupted by the trainer's shutdown (whatever else asked it to stop: it resumes
    /// on its own), stopped by its sweep's early stopping, or cancelled by a user.
    /// </summary>
    private static (RunStatus Status, string? Reason) StoppedStatus(CancellationToken stoppingToken, string? stoppedEarly) =>
        stoppingToken.IsCancellationRequested ? (RunStatus.Interrupted, "The trainer was shut down during this run; resume it to continue from its last checkpoint.")
        : stoppedEarly is not null ? (RunStatus.StoppedEarly, stoppedEarly)
        : (RunStatus.Cancelled, null);

    /// <summary>
    /// Why the sweep stops the run after <paramref name="e"/>, or null; a rung's decision is announced to the sweep's viewers.
    /// A decision the database cannot take lets the run go on.
    /// </summary>
    private string? EarlyStop(Run run, Sweeps.EarlyStopper stopper, TrainingEvent e)
    {
        try
        {
            if (stopper.Observe(e) is not { } outcome) return null;
            if (outcome.Decision is { } decision)
            {
                logger.LogInformation("Run {RunId} of sweep {SweepId} at rung {Rung}: rank {Rank} of {Competitors}, {Decision}",
                    run.Id, run.SweepId, decision.Rung, decision.Rank, decision.Competitors, decision.Continues || decision.Overridden ? "goes on" : "stops");
                broadcaster.Publish(new RunChanged("rung", store.Runs.Get(run.Id)!));
            }
            if (outcome.StopReason is { } why) logger.LogInformation("Run {RunId} of sweep {SweepId}: {Reason}", run.Id, run.SweepId, why);
            return outcome.StopReason;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Run {RunId}: the early-stopping decision could not be taken; it trains on", run.Id);
            return null;
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        InvalidConfigException invalid => "Invalid configuration: " + string.Join("; ", invalid.Errors),
        OutOfMemoryException => "Out of memory: lower the batch size or use a smaller model.",
        _ when ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => "Out of memory on the device: " + ex.Message,
        _ => ex.Message,
    };
}
