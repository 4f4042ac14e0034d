using AspireSimClr.Engine;
using AspireSimClr.Engine.Health;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Sweeps;

/// <summary>
/// Watches one run of a sweep that stops weak runs early (<see cref="EarlyStopping"/>): at each rung it asks the database for the
/// decision (<see cref="SweepRungTable.Decide"/>), and it stops a run whose health rules raise collapse or nan-risk at once.
/// </summary>
public sealed class EarlyStopper
{
    private readonly RunStore _store;
    private readonly Run _run;
    private readonly EarlyStopping _rules;
    private readonly TimeProvider _time;

    private EarlyStopper(RunStore store, Run run, EarlyStopping rules, TimeProvider time) => (_store, _run, _rules, _time) = (store, run, rules, time);

    /// <summary>A stopper for <paramref name="run"/>, or null when it is not in a sweep that stops runs early.</summary>
    public static EarlyStopper? For(Run run, RunStore store, TimeProvider time) =>
        run.SweepId is { } sweepId && store.Sweeps.List(sweepId).FirstOrDefault()?.EarlyStopping is { } rules
            ? new EarlyStopper(store, run, rules, time)
            : null;

    /// <summary>The health codes that stop a run whatever its rank: nothing good comes after them.</summary>
    public static readonly string[] StoppingHealthCodes = [HealthMonitor.Collapse, HealthMonitor.NanRisk];

    /// <summary>What an event led to: a decision taken at a rung (null if none), and why the run stops now (null: it goes on).</summary>
    public sealed record Outcome(RungDecision? Decision, string? StopReason);

    /// <summary>What <paramref name="e"/> leads to, or null when it is nothing the sweep judges.</summary>
    public Outcome? Observe(TrainingEvent e) => e switch
    {
        HealthWarning warning when StoppingHealthCodes.Contains(warning.Code) =>
            new Outcome(null, $"Stopped early at epoch {warning.Epoch + 1}: its health rules raised {warning.Code}. {warning.Message}"),
        EvaluationCompleted { Kind: EvaluationKinds.Knn } knn when _rules.Metric == EarlyStoppingMetrics.Knn => AtRung(knn.Epoch + 1, knn.Top1),
        EpochCompleted epoch when _rules.Metric == EarlyStoppingMetrics.Loss => AtRung(epoch.Epoch + 1, epoch.MeanLoss),
        _ => null,
    };

    private Outcome? AtRung(int epochs, double value)
    {
        if (!_rules.Rungs.Contains(epochs) || epochs >= _run.Config.Epochs) return null;
        var decision = _store.SweepRungs.Decide(_run.SweepId!, _run.Id, epochs, value, higherIsBetter: _rules.Metric == EarlyStoppingMetrics.Knn,
            _rules.ReductionFactor, _time.GetUtcNow());
        if (decision.Continues || decision.Overridden) return new Outcome(decision, null);
        string shown = decision.Value is { } v ? (_rules.Metric == EarlyStoppingMetrics.Knn ? $"{v:P2}" : $"{v:G4}") : "not a number";
        return new Outcome(decision,
            $"Stopped early at epoch {epochs}: its {_rules.Metric} ({shown}) ranked {decision.Rank} of the {decision.Competitors} runs of the sweep " +
            $"that reached this rung, and only the best {decision.Kept} go on (reduction factor {_rules.ReductionFactor}). Resume it to train it to the end.");
    }
}
