namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// A move of a run's status (one of <see cref="RunLifecycle"/>'s), with the conditions it is taken under and what
/// changes with it. <see cref="RunTable.Move"/> makes it in one conditional statement: it happens only if the run
/// is still in one of <see cref="From"/> (and the other conditions hold) at that moment.
/// </summary>
public sealed record RunMove(RunStatus To)
{
    /// <summary>The statuses the run may be in; by default every status <see cref="RunLifecycle"/> lets move to <see cref="To"/>.</summary>
    public IReadOnlyList<RunStatus> From { get; init; } = RunLifecycle.MovesTo(To);

    /// <summary>The failure or interruption reason the run has afterwards (null: none).</summary>
    public string? Reason { get; init; }

    /// <summary>Only if this worker holds the run's lease.</summary>
    public string? HeldBy { get; init; }

    /// <summary>Only if the run's lease ran out before this time.</summary>
    public DateTimeOffset? LeaseExpiredBefore { get; init; }

    /// <summary>Gives the lease to a worker until a time (a claim), clearing any cancel request.</summary>
    public (string Worker, DateTimeOffset Until)? Lease { get; init; }

    /// <summary>Sets the start time unless the run has one.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>Sets the finish time.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Clears the finish time (a resumed run is not finished).</summary>
    public bool Reopened { get; init; }

    /// <summary>Sets whether the next training continues from the checkpoint.</summary>
    public bool? ResumeRequested { get; init; }

    /// <summary>Puts the run at the back of the queue.</summary>
    public bool ToBackOfQueue { get; init; }

    /// <summary>Clears the estimated time remaining (the run no longer trains).</summary>
    public bool ClearEta { get; init; }
}
