namespace AspireSimClr.Contracts;

/// <summary>
/// A run's statuses and the moves between them, and so which action fits which status: the one place that
/// decides it, read by the trainer (its store only makes these moves) and by the dashboard (which offers only
/// these actions).
/// </summary>
/// <remarks>
/// queued → running (a worker claims it) or cancelled; running → completed, failed, cancelled, interrupted
/// (its trainer stopped or lost its lease) or stopped early (its sweep's early stopping); interrupted, cancelled,
/// failed and stopped early → queued again (resumed).
/// Completed is final; a fork of a completed run is a new run.
/// </remarks>
public static class RunLifecycle
{
    private static readonly IReadOnlyDictionary<RunStatus, RunStatus[]> Moves = new Dictionary<RunStatus, RunStatus[]>
    {
        [RunStatus.Queued] = [RunStatus.Running, RunStatus.Cancelled],
        [RunStatus.Running] = [RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted, RunStatus.StoppedEarly],
        [RunStatus.Interrupted] = [RunStatus.Queued],
        [RunStatus.StoppedEarly] = [RunStatus.Queued],
        [RunStatus.Cancelled] = [RunStatus.Queued],
        [RunStatus.Failed] = [RunStatus.Queued],
        [RunStatus.Completed] = [],
    };

    public static bool CanMove(RunStatus from, RunStatus to) => Moves[from].Contains(to);

    /// <summary>The statuses a run may be in to move to <paramref name="to"/>.</summary>
    public static IReadOnlyList<RunStatus> MovesTo(RunStatus to) => Moves.Where(m => m.Value.Contains(to)).Select(m => m.Key).ToList();

    /// <summary>Queued (not yet claimed) or running: stopping it is a cancel.</summary>
    public static bool CanCancel(RunStatus status) => CanMove(status, RunStatus.Cancelled);

    /// <summary>Interrupted, cancelled, failed or stopped early: it can be queued again, from its checkpoint where it has one.</summary>
    public static bool CanResume(RunStatus status) => CanMove(status, RunStatus.Queued);

    /// <summary>Anything but running: a running run is cancelled first.</summary>
    public static bool CanDelete(RunStatus status) => status != RunStatus.Running;

    /// <summary>A run with a checkpoint can be continued as a new run with edited settings, whatever its status.</summary>
    public static bool CanFork(Run run) => run.HasCheckpoint;

    /// <summary>Queued or running: it still changes on its own.</summary>
    public static bool IsActive(RunStatus status) => status is RunStatus.Queued or RunStatus.Running;

    /// <summary>What the action verbs say when a status does not allow them.</summary>
    public static string Refusal(string id, RunStatus status, string action) => action switch
    {
        "cancel" => $"Run {id} is {Name(status)}; only queued or running runs can be cancelled.",
        "resume" => $"Run {id} is {Name(status)}; only {Either(MovesTo(RunStatus.Queued).Select(Name).ToList())} runs can be resumed.",
        "delete" => $"Run {id} is running; cancel it before deleting it.",
        _ => $"Run {id} is {Name(status)}.",
    };

    /// <summary>The status in words: "queued", "stopped early".</summary>
    public static string Name(RunStatus status) => status == RunStatus.StoppedEarly ? "stopped early" : status.ToString().ToLowerInvariant();

    /// <summary>The kind of the change event a move to <paramref name="status"/> sends: "completed", "stopped-early".</summary>
    public static string EventName(RunStatus status) => Name(status).Replace(' ', '-');

    /// <summary>The change events of the moves that end a run's training or its wait in the queue ("completed", "cancelled", "stopped-early", …).</summary>
    public static IReadOnlyList<string> EndEvents { get; } =
        Moves[RunStatus.Running].Concat(Moves[RunStatus.Queued]).Where(s => s != RunStatus.Running).Distinct().Select(EventName).ToList();

    private static string Either(IReadOnlyList<string> names) =>
        names.Count < 2 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
}
