namespace AspireSimClr.Contracts;

public static class AlertEvents
{
    public const string RunCompleted = "run.completed";
    public const string RunFailed = "run.failed";
    public const string RunWarning = "run.warning";
    public const string SweepFinished = "sweep.finished";
}

/// <summary>
/// The JSON body the trainer posts to each alert webhook. <paramref name="Text"/> is a one-line summary, the field Slack's and
/// Microsoft Teams' incoming webhooks show; the rest is for programs: which <paramref name="Event"/> (<see cref="AlertEvents"/>),
/// when, and the run (with the health <paramref name="Warning"/> for run.warning) or the sweep it is about.
/// </summary>
public sealed record Alert(string Text, string Event, DateTimeOffset Time, AlertRun? Run = null, RunWarning? Warning = null, AlertSweep? Sweep = null);

/// <summary>A run as an alert tells of it.</summary>
public sealed record AlertRun(string Id, string Name, RunStatus Status, int EpochsCompleted, int Epochs, double? BestKnnTop1, double? LinearTop1, string? Reason, string? SweepId)
{
    public static AlertRun Of(Run run) => new(run.Id, run.Name, run.Status, run.EpochsCompleted, run.Config.Epochs, run.BestKnnTop1, run.LinearTop1, run.FailureReason, run.SweepId);
}

/// <summary>A finished sweep: how its runs ended and its best run by kNN top-1.</summary>
public sealed record AlertSweep(string Id, string Name, string Kind, int Runs, int Completed, int StoppedEarly, int Failed, int Cancelled,
    string? BestRunId, string? BestRunName, double? BestKnnTop1);
