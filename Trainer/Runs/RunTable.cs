using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The runs table: a run is added queued, read, listed, edited (everything but its status, lease and queue place),
/// moved from status to status (<see cref="Move"/>, the only statement that writes a status) and deleted with its history.
/// </summary>
public sealed class RunTable(RunDatabase database)
{
    public Run Insert(Run run) => database.Transaction(t =>
    {
        if (run.Status != RunStatus.Queued) throw new ArgumentException($"A run is added queued, not {RunLifecycle.Name(run.Status)}.", nameof(run));
        Sql.Execute(t, $"""
            INSERT INTO runs (id, name, status, tags, notes, config, created_at, queue_order, sweep_id, forked_from, forked_at_epoch, resume_requested, has_checkpoint)
            VALUES (@id, @name, 'Queued', @tags, @notes, @config, @created, {database.NextQueueOrder}, @sweep, @forkedFrom, @forkedAt, @resume, @checkpoint)
            """,
            ("@id", run.Id), ("@name", run.Name), ("@tags", RunRows.Tags(run.Tags)), ("@notes", run.Notes), ("@config", RunRows.Config(run.Config)),
            ("@created", Sql.Time(run.CreatedAt)), ("@sweep", run.SweepId), ("@forkedFrom", run.ForkedFrom), ("@forkedAt", run.ForkedAtEpoch),
            ("@resume", run.ResumeRequested ? 1 : 0), ("@checkpoint", run.HasCheckpoint ? 1 : 0));
        return Get(t, run.Id)!;
    });

    public Run? Get(string id) => database.Transaction(t => Get(t, id));

    public IReadOnlyList<Run> List(RunStatus? status = null, string? tag = null) => database.Transaction(t =>
    {
        var runs = status is { } only
            ? RunRows.Query(t, RunRows.Select + " WHERE r.status = @status ORDER BY r.created_at DESC, r.queue_order DESC", ("@status", only.ToString()))
            : RunRows.Query(t, RunRows.Select + " ORDER BY r.created_at DESC, r.queue_order DESC");
        return (IReadOnlyList<Run>)runs.Where(r => tag is null || r.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)).ToList();
    });

    /// <summary>The oldest queued run, if any.</summary>
    public Run? NextQueued() => database.Transaction(t =>
        RunRows.Query(t, RunRows.Select + " WHERE r.status = 'Queued' ORDER BY r.queue_order LIMIT 1").FirstOrDefault());

    /// <summary>
    /// Applies <paramref name="change"/> to the stored run under a row lock and writes back what it may change: name,
    /// tags, notes, config, progress and summary. Not the status, lease or queue place (those change by <see cref="Move"/>
    /// and the queue). Returns the run as stored afterwards, or null when it does not exist.
    /// </summary>
    public Run? Edit(string id, Func<Run, Run> change) => database.Transaction(t =>
    {
        var current = RunRows.Query(t, RunRows.Select + " WHERE r.id = @id" + database.LockRows("r"), ("@id", id)).FirstOrDefault();
        if (current is null) return null;
        var updated = change(current);
        Sql.Execute(t, """
            UPDATE runs SET name = @name, tags = @tags, notes = @notes, config = @config, epochs_completed = @epochs,
                last_loss = @loss, best_knn = @knn, linear_top1 = @linear, images_per_second = @ips, eta_seconds = @eta,
                has_checkpoint = @checkpoint, runtime = @runtime, warnings = @warnings
            WHERE id = @id
            """,
            ("@id", id), ("@name", updated.Name), ("@tags", RunRows.Tags(updated.Tags)), ("@notes", updated.Notes), ("@config", RunRows.Config(updated.Config)),
            ("@epochs", updated.EpochsCompleted), ("@loss", updated.LastLoss), ("@knn", updated.BestKnnTop1), ("@linear", updated.LinearTop1),
            ("@ips", updated.ImagesPerSecond), ("@eta", updated.EtaSeconds), ("@checkpoint", updated.HasCheckpoint ? 1 : 0),
            ("@runtime", RunRows.Runtime(updated.Runtime)), ("@warnings", RunRows.Warnings(updated.Warnings)));
        return Get(t, id);
    });

    /// <summary>Makes <paramref name="move"/> on run <paramref name="id"/> in one conditional statement; true when it happened.</summary>
    public bool Move(string id, RunMove move) => database.Transaction(t => Moved(t, move, id).Count == 1);

    /// <summary>Makes <paramref name="move"/> on every run it applies to; returns the ids of those moved.</summary>
    public IReadOnlyList<string> MoveAll(RunMove move) => database.Transaction(t => Moved(t, move, id: null));

    /// <summary>Deletes the run and its history in one transaction; false when there was no such run.</summary>
    public bool Delete(string id) => database.Transaction(t =>
    {
        Sql.Execute(t, "DELETE FROM metrics WHERE run_id = @id", ("@id", id));
        return Sql.Execute(t, "DELETE FROM runs WHERE id = @id", ("@id", id)) > 0;
    });

    internal static Run? Get(System.Data.Common.DbTransaction t, string id) => RunRows.Query(t, RunRows.Select + " WHERE r.id = @id", ("@id", id)).FirstOrDefault();

    private IReadOnlyList<string> Moved(System.Data.Common.DbTransaction t, RunMove move, string? id)
    {
        foreach (var from in move.From)
            if (!RunLifecycle.CanMove(from, move.To))
                throw new InvalidOperationException($"A run does not move from {RunLifecycle.Name(from)} to {RunLifecycle.Name(move.To)}.");
        var set = new List<string> { "status = @to", "failure_reason = @reason" };
        var where = new List<string> { $"status IN ({string.Join(", ", move.From.Select((_, i) => $"@from{i}"))})" };
        var parameters = new List<(string, object?)> { ("@to", move.To.ToString()), ("@reason", move.Reason) };
        parameters.AddRange(move.From.Select((status, i) => ($"@from{i}", (object?)status.ToString())));
        if (id is not null) { where.Add("id = @id"); parameters.Add(("@id", id)); }
        if (move.HeldBy is { } holder) { where.Add("lease_owner = @holder"); parameters.Add(("@holder", holder)); }
        if (move.LeaseExpiredBefore is { } expired) { where.Add("lease_expires IS NOT NULL AND lease_expires < @expired"); parameters.Add(("@expired", Sql.Time(expired))); }
        if (move.Lease is { } lease)
        {
            set.Add("lease_owner = @worker, lease_expires = @until, cancel_requested = 0");
            parameters.Add(("@worker", lease.Worker));
            parameters.Add(("@until", Sql.Time(lease.Until)));
        }
        if (move.Started is { } started) { set.Add("started_at = COALESCE(started_at, @started)"); parameters.Add(("@started", Sql.Time(started))); }
        if (move.Finished is { } finished) { set.Add("finished_at = @finished"); parameters.Add(("@finished", Sql.Time(finished))); }
        else if (move.Reopened) set.Add("finished_at = NULL");
        if (move.ResumeRequested is { } resume) { set.Add("resume_requested = @resume"); parameters.Add(("@resume", resume ? 1 : 0)); }
        if (move.ToBackOfQueue) set.Add($"queue_order = {database.NextQueueOrder}");
        if (move.ClearEta) set.Add("eta_seconds = NULL");
        return Sql.Strings(t, $"UPDATE runs SET {string.Join(", ", set)} WHERE {string.Join(" AND ", where)} RETURNING id", [.. parameters]);
    }
}
