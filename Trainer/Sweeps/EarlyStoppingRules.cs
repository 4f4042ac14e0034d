using System.Text.Json;

namespace AspireSimClr.Trainer.Sweeps;

/// <summary>A sweep request's <c>earlyStopping</c> read field by field, and checked against each run's settings.</summary>
public static class EarlyStoppingRules
{
    public const int MaxRungs = 10;
    public const int MaxReductionFactor = 10;
    public const int DefaultReductionFactor = 3;

    /// <summary>The rules, or null (none asked for, or errors added under <c>earlyStopping.*</c>).</summary>
    public static EarlyStopping? Read(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors["earlyStopping"] = ["must be an object: { metric, rungs, reductionFactor }."];
            return null;
        }
        string metric = EarlyStoppingMetrics.Knn;
        int reductionFactor = DefaultReductionFactor;
        List<int>? rungs = null;
        int before = errors.Count;
        foreach (var property in value.EnumerateObject())
        {
            string field = $"earlyStopping.{property.Name}";
            switch (property.Name)
            {
                case "metric" when property.Value.ValueKind == JsonValueKind.String && EarlyStoppingMetrics.All.Contains(property.Value.GetString()):
                    metric = property.Value.GetString()!; break;
                case "metric": errors[field] = [$"must be one of {string.Join(", ", EarlyStoppingMetrics.All)}."]; break;
                case "reductionFactor" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out int eta) && eta is >= 2 and <= MaxReductionFactor:
                    reductionFactor = eta; break;
                case "reductionFactor": errors[field] = [$"must be a whole number from 2 to {MaxReductionFactor}: at each rung the best 1/reductionFactor of the runs go on."]; break;
                case "rungs":
                    rungs = Rungs(property.Value);
                    if (rungs is null) errors[field] = [$"must be 1 to {MaxRungs} epoch counts, each at least 1, ascending, e.g. [2, 6]."];
                    break;
                default: errors[field] = ["is not part of early stopping (metric, rungs, reductionFactor)."]; break;
            }
        }
        if (rungs is null && !errors.ContainsKey("earlyStopping.rungs"))
            errors["earlyStopping.rungs"] = ["is required: the epoch counts at which runs are compared, e.g. [2, 6]."];
        return errors.Count > before || rungs is null ? null : new EarlyStopping(metric, rungs, reductionFactor);
    }

    private static List<int>? Rungs(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxRungs) return null;
        var rungs = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int rung) || rung < 1 || (rungs.Count > 0 && rung <= rungs[^1])) return null;
            rungs.Add(rung);
        }
        return rungs;
    }

    /// <summary>Why the rules cannot judge a run with <paramref name="config"/>, or null when they can.</summary>
    public static string? Check(EarlyStopping rules, TrainingConfig config)
    {
        if (rules.Rungs[^1] >= config.Epochs)
            return $"the last rung ({rules.Rungs[^1]} epochs) must be below the run's {config.Epochs} epochs: a rung decides whether a run trains on.";
        if (rules.Metric != EarlyStoppingMetrics.Knn) return null;
        if (config.KnnEveryEpochs == 0) return "the kNN monitor never runs (knnEveryEpochs is 0): evaluate it, or stop by metric 'loss'.";
        var missed = rules.Rungs.Where(r => r % config.KnnEveryEpochs != 0).ToList();
        return missed.Count == 0 ? null
            : $"rung{(missed.Count > 1 ? "s" : "")} {string.Join(", ", missed)} {(missed.Count > 1 ? "are" : "is")} not a kNN evaluation (every {config.KnnEveryEpochs} epochs): rungs must be multiples of knnEveryEpochs.";
    }
}
