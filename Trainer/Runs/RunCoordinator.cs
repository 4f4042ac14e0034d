using System.Collections.Concurrent;
using AspireSimClr.Engine;
using AspireSimClr.Trainer.Hubs;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Runs;

public enum RunActionResult { Done, NotFound, Conflict }

/// <summary>
/// Creates, cancels, resumes and deletes runs; wakes the worker when there is something to train.
/// The only place that changes a run's status outside the worker.
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
    private Run Queue(Run newRun) => Announce(store.Insert(newRun).Id);

    /// <summary>Tells clients of a new run, as stored, and wakes the worker.</summary>
    private Run Announce(string id)
    {
        var run = store.Get(id)!;
        broadcaster.Publish(new RunChanged("created", run));
        _wake.Release();
        return run;
    }

    public (RunActionResult Result, Run? Run, string? Problem) Cancel(string id)
    {
        var run = store.Get(id);
        if (run is null) return (RunActionResult.NotFound, null, null);
        if (run.Status == RunStatus.Queued)
        {
            // Still queued when changed: a worker may have claimed it meanwhile, and then it is cancelled as running.
            run = store.Update(id, r => r.Status == RunStatus.Queued ? r with { Status = RunStatus.Cancelled, FinishedAt = time.GetUtcNow(), ResumeRequested = false } : r)!;
            if (run.Status == RunStatus.Cancelled)
            {
                broadcaster.Publish(new RunChanged("cancelled", run));
                return (RunActionResult.Done, run, null);
            }
        }
        if (run.Status == RunStatus.Running && _running.TryGetValue(id, out var cts))
        {
            cts.Cancel();
            return (RunActionResult.Done, run, null);
        }
        // Trained by another trainer on the same database: its worker sees the request when it next renews its lease.
        if (run.Status == RunStatus.Running && store.RequestCancel(id)) return (RunActionResult.Done, run, null);
        return (RunActionResult.Conflict, run, $"Run {id} is {run.Status.ToString().ToLowerInvariant()}; only queued or running runs can be cancelled.");
    }

    public IReadOnlyList<Run> CancelAll() =>
        store.List().Where(r => r.Status is RunStatus.Queued or RunStatus.Running)
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
        var run = store.Insert(new Run
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
        store.CopyMetricsUpTo(source.Id, id, position.Epoch, position.GlobalStep);
        return Announce(run.Id);
    }

    public (RunActionResult Result, Run? Run, string? Problem) Resume(string id)
    {
        var run = store.Get(id);
        if (run is null) return (RunActionResult.NotFound, null, null);
        if (run.Status is not (RunStatus.Interrupted or RunStatus.Cancelled or RunStatus.Failed))
            return (RunActionResult.Conflict, run, $"Run {id} is {run.Status.ToString().ToLowerInvariant()}; only interrupted, cancelled or failed runs can be resumed.");
        bool fromCheckpoint = File.Exists(CheckpointPath(id));
        var resumed = store.Update(id, r => r with
        {
            Status = RunStatus.Queued, ResumeRequested = fromCheckpoint, FailureReason = null, FinishedAt = null, QueueOrder = store.NextQueueOrder(),
        })!;
        resumed = store.Get(id)!;
        broadcaster.Publish(new RunChanged("resumed", resumed));
        _wake.Release();
        return (RunActionResult.Done, resumed, null);
    }

    public (RunActionResult Result, string? Problem) Delete(string id)
    {
        var run = store.Get(id);
        if (run is null) return (RunActionResult.NotFound, null);
        if (run.Status == RunStatus.Running)
            return (RunActionResult.Conflict, $"Run {id} is running; cancel it before deleting it.");
        store.Delete(id);
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
