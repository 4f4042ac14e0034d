using System.Text.Json;
using System.Text.Json.Nodes;
using AspireSimClr.Trainer.Api;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Sweeps;

/// <summary>
/// Continues model-based sweeps (<see cref="SweepKinds.Tpe"/>): when one of their runs ends with a result, the next run is proposed by
/// the <see cref="TreeParzenSampler"/> from every result of the sweep so far (best kNN top-1; a failed run counts as none) and queued,
/// until the sweep's budget is spent. The next index is taken in the database, so trainers sharing a queue never propose twice.
/// </summary>
public sealed class SweepSearchDriver(RunStore store, RunCoordinator coordinator, RequestedSettings settings, ILogger<SweepSearchDriver> logger)
{
    /// <summary>The ends that are results: a cancelled or interrupted run says nothing about its settings, and stops the search there.</summary>
    private static readonly RunStatus[] Results = [RunStatus.Completed, RunStatus.StoppedEarly, RunStatus.Failed];

    public static TreeParzenSampler Sampler(SweepSearch search) => new(search.Ranges.Select(r =>
    {
        var setting = ConfigSchema.Find(r.Setting)!;
        var type = Nullable.GetUnderlyingType(setting.Type) ?? setting.Type;
        return new TreeParzenSampler.Range(setting.FlatJsonName, r.Min, r.Max, r.Log == true, Whole: type != typeof(double));
    }).ToList())
    { Startup = search.Startup };

    /// <summary>The seed of the sweep's proposal number <paramref name="index"/> (0-based).</summary>
    public static int ProposalSeed(SweepSearch search, int index) => unchecked((int)search.Seed * 7919 + index);

    /// <summary>The run queued after <paramref name="ended"/>, or null (not a model-based sweep, not a result, or the budget spent).</summary>
    public Run? OnRunEnded(Run ended)
    {
        if (ended.SweepId is not { } sweepId || !Results.Contains(ended.Status)) return null;
        if (store.Sweeps.List(sweepId).FirstOrDefault() is not { Search: { } search } sweep) return null;
        if (store.Sweeps.BaseSettings(sweepId) is not { } baseSettings) return null;
        if (store.Sweeps.TakeNext(sweepId, search.Budget) is not { } index) return null;

        var sampler = Sampler(search);
        var history = sweep.RunIds.Select(store.Runs.Get).OfType<Run>().Where(r => Results.Contains(r.Status))
            .Select(r => new TreeParzenSampler.Trial(sampler.Ranges.Select(range => Convert.ToDouble(ConfigSchema.Find(range.Setting)!.ValueIn(r.Config), System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                r.Status == RunStatus.Failed ? double.NaN : r.BestKnnTop1 ?? double.NaN))
            .ToList();
        var proposal = SweepRequestReader.Drawn(sampler.Ranges.Select(r => ConfigSchema.Find(r.Setting)!).ToList(), sampler.Propose(history, ProposalSeed(search, index)));

        var json = JsonNode.Parse(baseSettings)!.AsObject();
        foreach (var (setting, value) in proposal.Overrides) json[setting] = value.DeepClone();
        using var document = JsonDocument.Parse(json.ToJsonString());
        var (ready, problems) = settings.Prepare(document.RootElement);
        if (ready is null)
        {
            logger.LogWarning("Sweep {SweepId} cannot queue its proposal {Index} ({Proposal}): {Problems}", sweepId, index + 1, proposal.Label,
                string.Join("; ", problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
            return null;
        }
        var next = coordinator.Create($"{sweep.Name} · {proposal.Label}", ready.Tags, ready.Notes, ready.Config, sweepId);
        logger.LogInformation("Sweep {SweepId} queued run {RunId}, proposal {Index} of {Budget}, from {Results} result(s): {Proposal}",
            sweepId, next.Id, index + 1, search.Budget, history.Count(t => double.IsFinite(t.Score)), proposal.Label);
        return next;
    }
}
