using System.Globalization;
using AspireSimClr.Engine;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Alerts;

/// <summary>
/// What is worth an alert, as it happens: a run that completes or fails, a health warning, and a sweep whose every run has ended
/// (told once, whichever trainer ends its last run: the database marks it finished in one conditional statement).
/// </summary>
public sealed class RunAlerts(AlertSender sender, RunStore store, TimeProvider time, ILogger<RunAlerts> logger)
{
    public void RunEnded(Run run)
    {
        if (!sender.Enabled) return;
        if (run.Status == RunStatus.Completed)
            sender.Send(new Alert($"AspireSimClr: run '{run.Name}' completed after {run.EpochsCompleted} epochs{Results(run)}.", AlertEvents.RunCompleted, time.GetUtcNow(), AlertRun.Of(run)));
        else if (run.Status == RunStatus.Failed)
            sender.Send(new Alert($"AspireSimClr: run '{run.Name}' failed at epoch {run.EpochsCompleted + 1}: {run.FailureReason}", AlertEvents.RunFailed, time.GetUtcNow(), AlertRun.Of(run)));
        if (run.SweepId is not { } sweepId) return;
        try
        {
            SweepMayHaveFinished(sweepId);
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogWarning(ex, "Could not tell whether sweep {SweepId} finished; no alert for it", sweepId);
        }
    }

    public void Warned(Run run, HealthWarning warning)
    {
        if (!sender.Enabled) return;
        sender.Send(new Alert($"AspireSimClr: run '{run.Name}' raised {warning.Code} at epoch {warning.Epoch + 1}: {warning.Message}", AlertEvents.RunWarning,
            time.GetUtcNow(), AlertRun.Of(run), new RunWarning(warning.Code, warning.Message, warning.Epoch, warning.GlobalStep, time.GetUtcNow())));
    }

    private void SweepMayHaveFinished(string sweepId)
    {
        if (store.Sweeps.List(sweepId).FirstOrDefault() is not { } sweep || !store.Sweeps.MarkFinished(sweepId, sweep.Search?.Budget ?? 0, time.GetUtcNow())) return;
        var runs = sweep.RunIds.Select(store.Runs.Get).OfType<Run>().ToList();
        var best = runs.Where(r => r.BestKnnTop1 is not null).MaxBy(r => r.BestKnnTop1);
        int Count(RunStatus status) => runs.Count(r => r.Status == status);
        var summary = new AlertSweep(sweep.Id, sweep.Name, sweep.Kind, runs.Count, Count(RunStatus.Completed), Count(RunStatus.StoppedEarly), Count(RunStatus.Failed),
            Count(RunStatus.Cancelled), best?.Id, best?.Name, best?.BestKnnTop1);
        string bestText = best is null ? "" : $"; best '{best.Name}' at kNN {Percent(best.BestKnnTop1)}";
        string stopped = summary.StoppedEarly > 0 ? $", {summary.StoppedEarly} stopped early" : "";
        sender.Send(new Alert($"AspireSimClr: sweep '{sweep.Name}' finished: {summary.Completed} of {summary.Runs} runs completed{stopped}{bestText}.",
            AlertEvents.SweepFinished, time.GetUtcNow(), Sweep: summary));
    }

    private static string Results(Run run) =>
        (run.BestKnnTop1 is { } knn ? $", kNN top-1 {Percent(knn)}" : "") + (run.LinearTop1 is { } linear ? $", linear {Percent(linear)}" : "");

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "—";
}
