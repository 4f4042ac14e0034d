using System.Globalization;

namespace AspireSimClr.Dashboard.Services;

/// <summary>The new-run page's sweep: a grid over values, a random or model-based (TPE) search over ranges, or repeats with other seeds.</summary>
public sealed class SweepForm
{
    public sealed class Axis
    {
        public string Setting { get; set; } = "learningRate";
        /// <summary>Grid: the values, comma-separated.</summary>
        public string Values { get; set; } = "";
        public string Min { get; set; } = "";
        public string Max { get; set; } = "";
        public bool Log { get; set; }

        public IReadOnlyList<string> ValueList => Values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Every setting but the seed (seed groups vary it) and the folders.</summary>
    public static IReadOnlyList<RunForm.Field> Sweepable { get; } = RunForm.Fields
        .Where(f => f.Name is not (nameof(TrainingConfig.Seed) or nameof(TrainingConfig.DataDir) or nameof(TrainingConfig.CacheDir))).ToList();

    public string Kind { get; set; } = SweepKinds.Grid;
    public List<Axis> Axes { get; } = [new() { Setting = "learningRate", Values = "0.2, 0.4" }];
    public int Samples { get; set; } = 8;
    public int Seeds { get; set; } = 3;

    /// <summary>Grid and random: stop weak runs at the rungs (successive halving).</summary>
    public bool EarlyStopping { get; set; }
    public string EarlyStoppingMetric { get; set; } = EarlyStoppingMetrics.Knn;
    /// <summary>The rungs' epoch counts, comma-separated.</summary>
    public string Rungs { get; set; } = "2, 6";
    public int ReductionFactor { get; set; } = 3;

    public bool OffersEarlyStopping => Kind != SweepKinds.Seeds;

    public int RunCount => Kind switch
    {
        SweepKinds.Grid => Axes.Aggregate(1, (n, a) => n * Math.Max(1, a.ValueList.Count)),
        SweepKinds.Random or SweepKinds.Tpe => Samples,
        _ => Seeds,
    };

    /// <summary>Random and TPE search ranges; a grid lists values.</summary>
    public bool SearchesRanges => Kind is SweepKinds.Random or SweepKinds.Tpe;

    /// <param name="runRequest">The new-run form's request: its name names the sweep, its settings are the base.</param>
    public Dictionary<string, object?> ToRequest(IReadOnlyDictionary<string, object?> runRequest)
    {
        var settings = runRequest.Where(p => p.Key != "name").ToDictionary(p => p.Key, p => p.Value);
        var request = new Dictionary<string, object?>
        {
            ["name"] = runRequest.TryGetValue("name", out var name) && name is string { Length: > 0 } text ? text : "sweep",
            ["kind"] = Kind,
            ["settings"] = settings,
        };
        switch (Kind)
        {
            case SweepKinds.Grid:
                request["axes"] = Axes.Select(a => new Dictionary<string, object?> { ["setting"] = a.Setting, ["values"] = a.ValueList.Select(Value).ToList() }).ToList();
                break;
            case SweepKinds.Random or SweepKinds.Tpe:
                request["ranges"] = Axes.Select(a => new Dictionary<string, object?> { ["setting"] = a.Setting, ["min"] = Value(a.Min), ["max"] = Value(a.Max), ["log"] = a.Log }).ToList();
                request["samples"] = Samples;
                break;
            default:
                request["seeds"] = Seeds;
                break;
        }
        if (EarlyStopping && OffersEarlyStopping)
            request["earlyStopping"] = new Dictionary<string, object?>
            {
                ["metric"] = EarlyStoppingMetric,
                ["rungs"] = Rungs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Value).ToList(),
                ["reductionFactor"] = ReductionFactor,
            };
        return request;
    }

    /// <summary>Text as the JSON value it reads as: a number, true/false, or else the text, for the API to name if wrong.</summary>
    public static object? Value(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) ? whole
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : bool.TryParse(text, out var flag) ? flag
        : text;
}
