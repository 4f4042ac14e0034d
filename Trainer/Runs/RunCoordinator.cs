using System.Collections.Concurrent;
using AspireSimClr.Engine;
using AspireSimClr.Trainer.Hubs;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Runs;

public enum RunActionResult { Done, NotFound, Conflict }

/// <summary>
/// Creates, cancels, resumes, forks and deletes runs on a user's request, each a <see cref="RunLifecycle"/> move made
/// by the store in one conditional statement; wakes the worker when there is something to train.
/// </summary>
public sealed class RunCoordinator(RunStore store, TrainingBroadcaster broadcaster, IOptions<TrainerOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly SemaphoreSlim _wake = new(0);

    public Run Create(string name, IReadOnlyList<string> tags, string notes, TrainingConfig config, string? sweepId = null) =>
        Queue(new Run
        {
            Id = NewId(),
            Name = string.IsNullOrWhiteSpace(name) ? $"{config.Model} on {config.Dataset}" : name.Trim(),
            Tags = tags,
            Notes = notes,
            Config = config,
            CreatedAt = time.GetUtcNow(),
            SweepId = sweepId,
        });

    public static string NewId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>Stores a new run as queued, tells clients and wakes the worker.</summary>
    private Run Queue(Run newRun) => Announce(store.Runs.Insert(newRun).Id);

    /// <summary>Tells clients of a new run, as stored, and wakes the worker.</summary>
    private Run Announce(string id)
    {
        var run = store.Runs.Get(id)!;
        broadcaster.Publish(new RunChanged("created", run));
        _wake.Release();
        return run;
    }

    public (RunActionResult Result, Run? Run, string? Problem) Cancel(string id)
    {
        // Queued: cancelled here, if no worker claims it first (then it is cancelled as running, below).
        if (store.Runs.Move(id, new RunMove(RunStatus.Cancelled) { From = [RunStatus.Queued], Finished = time.GetUtcNow(), ResumeRequested = false }))
        {
            var cancelled = store.Runs.Get(id)!;
            broadcaster.Publish(new RunChanged("cancelled", cancelled));
            return (RunActionResult.Done, cancelled, null);
        }
        var run = store.Runs.Get(id);
        if (run is null) return (RunActionResult.NotFound, null, null);
        // Running here: its worker stops it and records the cancel when the engine has saved its position.
        if (run.Status == RunStatus.Running && _running.TryGetValue(id, out var cts))
        {
            cts.Cancel();
            return (RunActionResult.Done, run, null);
        }
        // Trained by another trainer on the same database: its worker sees the request when it next renews its lease.
        if (run.Status == RunStatus.Running && store.Queue.RequestCancel(id)) return (RunActionResult.Done, run, null);
        return (RunActionResult.Conflict, run, RunLifecycle.Refusal(id, run.Status, "cancel"));
    }

    public IReadOnlyList<Run> CancelAll() =>
        store.Runs.List().Where(r => RunLifecycle.CanCancel(r.Status))
            .Select(r => Cancel(r.Id)).Where(r => r.Result == RunActionResult.Done).Select(r => r.Run!).ToList();

    /// <summary>
    /// Queues a new run that continues <paramref name="source"/>'s checkpoint (at <paramref name="position"/>) with
    /// <paramref name="config"/>: the checkpoint, the embedding sample and maps so far, and the history up to it are copied.
    /// </summary>
    public Run Fork(Run source, string checkpoint, Engine.Checkpoints.TrainingPosition position, string name, IReadOnlyList<string> tags, string notes, TrainingConfig config)
    {
        var id = NewId();
        var folder = options.Value.RunFolder(id);
        Directory.CreateDirectory(folder);
        File.Copy(checkpoint, CheckpointPath(id));
        var maps = new Engine.Evaluation.EmbeddingMapStore(options.Value.RunFolder(source.Id));
        if (Directory.Exists(maps.Folder))
        {
            var copy = new Engine.Evaluation.EmbeddingMapStore(folder);
            Directory.CreateDirectory(copy.Folder);
            foreach (var file in Directory.GetFiles(maps.Folder).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(copy.Folder, Path.GetFileName(file)));
            copy.DeleteAfter(position.Epoch);
        }
        var run = store.Runs.Insert(new Run
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(name) ? $"{source.Name} (fork at epoch {position.Epoch})" : name.Trim(),
            Tags = tags,
            Notes = notes,
            Config = config,
            CreatedAt = time.GetUtcNow(),
            ResumeRequested = true,
            HasCheckpoint = true,
            ForkedFrom = source.Id,
            ForkedAtEpoch = position.Epoch,
        });
        store.History.CopyUpTo(source.Id, id, position.Epoch, position.GlobalStep);
        return Announce(run.Id);
    }

    /// <summary>
    /// Queues an interrupted, cancelled, failed or stopped-early run again, at the back of the queue, to continue from its checkpoint
    /// where it has one. One conditional move: if another trainer resumed or claimed the run since it was read, this does nothing.
    /// </summary>
    public (RunActionResult Result, Run? Run, string? Problem) Resume(string id)
    {
        bool fromCheckpoint = File.Exists(CheckpointPath(id));
        var resume = new RunMove(RunStatus.Queued) { ResumeRequested = fromCheckpoint, Reopened = true, ToBackOfQueue = true };
        // A run its sweep stopped early trains on past the rung that stopped it: the user overrides that decision.
        if (store.Runs.Move(id, resume with { From = [RunStatus.StoppedEarly] })) store.SweepRungs.Override(id);
        else if (!store.Runs.Move(id, resume))
        {
            var current = store.Runs.Get(id);
            return current is null
                ? (RunActionResult.NotFound, null, null)
                : (RunActionResult.Conflict, current, RunLifecycle.Refusal(id, current.Status, "resume"));
        }
        var resumed = store.Runs.Get(id)!;
        broadcaster.Publish(new RunChanged("resumed", resumed));
        _wake.Release();
        return (RunActionResult.Done, resumed, null);
    }

    public (RunActionResult Result, string? Problem) Delete(string id)
    {
        var run = store.Runs.Get(id);
        if (run is null) return (RunActionResult.NotFound, null);
        if (!RunLifecycle.CanDelete(run.Status)) return (RunActionResult.Conflict, RunLifecycle.Refusal(id, run.Status, "delete"));
        store.Runs.Delete(id);
        var folder = options.Value.RunFolder(id);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        broadcaster.Publish(new RunChanged("deleted", run));
        return (RunActionResult.Done, null);
    }

    public string CheckpointPath(string id) => Path.Combine(options.Value.RunFolder(id), Engine.Checkpoints.TrainingCheckpoint.LatestFileName);

    internal CancellationToken Register(string id, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[id] = cts;
        return cts.Token;
    }

    /// <summary>The runs this process trains.</summary>
    internal IReadOnlyList<string> RunningHere() => _running.Keys.ToList();

    /// <summary>Stops a run this process trains (cancelled elsewhere, or its lease lost).</summary>
    internal void StopHere(string id)
    {
        if (_running.TryGetValue(id, out var cts)) cts.Cancel();
    }

    internal void Unregister(string id)
    {
        if (_running.TryRemove(id, out var cts)) cts.Dispose();
    }

    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    internal void Wake() => _wake.Release();
}
