using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The queue and the leases: which queued run a worker takes (a move that only one worker can win, in whichever
/// process), the lease that says it still trains it, a cancel asked through another trainer, and the interruption
/// of runs whose trainer is gone. Every status change goes through <see cref="RunTable.Move"/>.
/// </summary>
public sealed class RunQueue(RunDatabase database, RunTable runs)
{
    /// <summary>
    /// Claims the oldest queued run that <paramref name="canRun"/> accepts for <paramref name="worker"/>, with a lease
    /// until <paramref name="leaseUntil"/>.
    /// </summary>
    public Run? Claim(string worker, Func<TrainingConfig, bool> canRun, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        // Only the id and settings of the queue's head: reading whole runs costs more than the claim.
        var candidates = database.Transaction(t =>
        {
            using var command = Sql.Command(t, "SELECT id, config FROM runs WHERE status = 'Queued' ORDER BY queue_order LIMIT 64");
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
                if (canRun(RunRows.ReadConfig(reader.GetString(1)))) ids.Add(reader.GetString(0));
            return ids;
        });
        var claim = new RunMove(RunStatus.Running) { Lease = (worker, leaseUntil), Started = now };
        foreach (var id in candidates)
            if (runs.Move(id, claim)) return runs.Get(id);
        return null;
    }

    /// <summary>
    /// Extends <paramref name="worker"/>'s lease on a run it trains. False when the lease is gone (it expired and the run
    /// was interrupted, or the run was deleted): the worker must stop training it. <paramref name="cancel"/>: a user asked
    /// (through any trainer) to cancel the run.
    /// </summary>
    public bool RenewLease(string runId, string worker, DateTimeOffset until, out bool cancel)
    {
        var (renewed, cancelRequested) = database.Transaction(t =>
        {
            var flags = Sql.Strings(t, "UPDATE runs SET lease_expires = @until WHERE id = @id AND lease_owner = @worker AND status = 'Running' RETURNING CAST(cancel_requested AS TEXT)",
                ("@id", runId), ("@worker", worker), ("@until", Sql.Time(until)));
            return (flags.Count == 1, flags.Count == 1 && flags[0] != "0");
        });
        cancel = cancelRequested;
        return renewed;
    }

    /// <summary>Asks the worker training <paramref name="runId"/> (in whichever process) to cancel it; false when it is not running.</summary>
    public bool RequestCancel(string runId) => database.Transaction(t =>
        Sql.Execute(t, "UPDATE runs SET cancel_requested = 1 WHERE id = @id AND status = 'Running'", ("@id", runId)) == 1);

    /// <summary>Interrupts running runs whose worker's lease ran out (the worker died or hangs); returns them as they are now.</summary>
    public IReadOnlyList<Run> InterruptExpiredLeases(DateTimeOffset now, string reason)
    {
        var moved = runs.MoveAll(new RunMove(RunStatus.Interrupted) { From = [RunStatus.Running], LeaseExpiredBefore = now, Reason = reason, ClearEta = true });
        return moved.Select(runs.Get).OfType<Run>().ToList();
    }

    /// <summary>Interrupts every running run: with an unshared database, they were left by a trainer that is gone.</summary>
    public IReadOnlyList<string> InterruptAllRunning(string reason) =>
        runs.MoveAll(new RunMove(RunStatus.Interrupted) { From = [RunStatus.Running], Reason = reason, ClearEta = true });
}
