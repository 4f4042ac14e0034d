using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// A sweep request: a name, a kind (<see cref="SweepKinds"/>), base settings (a new run's body, flat) and what varies:
/// <c>axes</c> (grid: each setting's values), <c>ranges</c> and <c>samples</c> (random: each setting drawn from
/// [min, max], log-uniform when <c>log</c>), or <c>seeds</c> (seed group: that many consecutive seeds); and optionally
/// <c>earlyStopping</c> (grid and random: <see cref="EarlyStopping"/>).
/// </summary>
public sealed record SweepRequest(string Name, string Kind, JsonObject Settings, IReadOnlyList<SweepRun> Runs, IReadOnlyList<SweepAxis> Axes,
    EarlyStopping? EarlyStopping = null, SweepSearch? Search = null);

/// <summary>One run of a sweep: its name suffix and the settings it overrides (flat name → JSON value).</summary>
public sealed record SweepRun(string Label, IReadOnlyDictionary<string, JsonNode> Overrides);

public static class SweepRequestReader
{
    private const int MaxValuesPerAxis = Limits.MaxSweepRuns;

    public static (SweepRequest? Request, Dictionary<string, string[]> Errors) Read(JsonElement body, long defaultSeed)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object) return (null, new() { ["body"] = ["must be a JSON object: name, kind, settings and axes, ranges or seeds."] });

        string name = "sweep", kind = "";
        JsonObject settings = [];
        JsonElement? axes = null, ranges = null;
        int? samples = null, seeds = null, startup = null;
        EarlyStopping? earlyStopping = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Trim() is { Length: > 0 and <= RunRequestReader.MaxNameLength } text:
                    name = text; break;
                case "name": errors["name"] = [$"must be a non-empty string of at most {RunRequestReader.MaxNameLength} characters."]; break;
                case "kind" when property.Value.ValueKind == JsonValueKind.String && SweepKinds.All.Contains(property.Value.GetString()):
                    kind = property.Value.GetString()!; break;
                case "kind": errors["kind"] = [$"must be one of {string.Join(", ", SweepKinds.All)}."]; break;
                case "settings" when property.Value.ValueKind == JsonValueKind.Object: settings = JsonNode.Parse(property.Value.GetRawText())!.AsObject(); break;
                case "settings": errors["settings"] = ["must be a JSON object of run settings (as for a new run)."]; break;
                case "axes": axes = property.Value; break;
                case "ranges": ranges = property.Value; break;
                case "samples": samples = Whole(property, 1, Limits.MaxSweepRuns, errors); break;
                case "seeds": seeds = Whole(property, 2, Limits.MaxSweepRuns, errors); break;
                case "startup": startup = Whole(property, 1, Limits.MaxSweepRuns, errors); break;
                case "earlyStopping": earlyStopping = Sweeps.EarlyStoppingRules.Read(property.Value, errors); break;
                default: errors[property.Name] = ["is not part of a sweep request (name, kind, settings, axes, ranges, samples, startup, seeds, earlyStopping)."]; break;
            }
        }
        if (kind == "" && !errors.ContainsKey("kind")) errors["kind"] = [$"is required: one of {string.Join(", ", SweepKinds.All)}."];
        if (kind == SweepKinds.Seeds && earlyStopping is not null)
            errors["earlyStopping"] = ["a seed group repeats one configuration to measure its spread; stopping some of its runs early would bias that. Use it with a grid or a random search."];
        settings.Remove("name");   // each run is named after the sweep and what it varies
        if (startup is not null && kind != SweepKinds.Tpe) errors["startup"] = ["is only for a tpe sweep."];
        else if (startup > samples) errors["startup"] = [$"must be at most samples ({samples})."];
        if (errors.Count > 0) return (null, errors);

        long baseSeed = settings["seed"] is JsonValue seedValue && seedValue.TryGetValue(out long given) ? given : defaultSeed;
        SweepSearch? search = null;
        var (runs, axisList) = kind switch
        {
            SweepKinds.Grid => Grid(axes, errors),
            SweepKinds.Random => RandomSearch(ranges, samples, baseSeed, errors),
            SweepKinds.Tpe => ModelSearch(ranges, samples, startup, baseSeed, errors, out search),
            _ => Seeds(seeds, baseSeed, errors),
        };
        if (errors.Count > 0) return (null, errors);
        if (runs.Count > Limits.MaxSweepRuns)
            return (null, new() { [kind == SweepKinds.Grid ? "axes" : "samples"] = [$"gives {runs.Count} runs; a sweep queues at most {Limits.MaxSweepRuns}."] });
        return (new SweepRequest(name, kind, settings, runs, axisList, earlyStopping, search), errors);
    }

    private static int? Whole(JsonProperty property, int min, int max, Dictionary<string, string[]> errors)
    {
        if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out int value) && value >= min && value <= max) return value;
        errors[property.Name] = [$"must be a whole number from {min} to {max}."];
        return null;
    }

    private static ConfigSetting? Setting(JsonElement item, string field, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("setting", out var name) || name.ValueKind != JsonValueKind.String)
        {
            errors[field] = ["must be an object with 'setting' (a run setting's flat name)."];
            return null;
        }
        var setting = ConfigSchema.Find(name.GetString()!);
        if (setting is null) errors[$"{field}.setting"] = [$"'{name.GetString()}' is not a run setting."];
        return setting;
    }

    private static (List<SweepRun>, List<SweepAxis>) Grid(JsonElement? axes, Dictionary<string, string[]> errors)
    {
        if (axes is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            errors["axes"] = ["a grid needs 'axes': a list of { setting, values }."];
            return ([], []);
        }
        var parsed = new List<(string Setting, List<JsonNode> Values)>();
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            string field = $"axes[{index++}]";
            if (Setting(item, field, errors) is not { } setting) continue;
            if (parsed.Any(a => a.Setting == setting.FlatJsonName)) { errors[$"{field}.setting"] = [$"'{setting.FlatJsonName}' is already an axis."]; continue; }
            if (!item.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() is 0 or > MaxValuesPerAxis)
            {
                errors[$"{field}.values"] = [$"must be a list of 1 to {MaxValuesPerAxis} values."];
                continue;
            }
            parsed.Add((setting.FlatJsonName, values.EnumerateArray().Select(v => JsonNode.Parse(v.GetRawText())!).ToList()));
        }
        if (errors.Count > 0) return ([], []);
        long combinations = parsed.Aggregate(1L, (n, a) => n * a.Values.Count);
        if (combinations > Limits.MaxSweepRuns)
        {
            errors["axes"] = [$"give {combinations:N0} combinations; a sweep queues at most {Limits.MaxSweepRuns} runs."];
            return ([], []);
        }
        var runs = new List<SweepRun> { new("", new Dictionary<string, JsonNode>()) };
        foreach (var (setting, values) in parsed)
            runs = runs.SelectMany(run => values.Select(value => new SweepRun(
                Join(run.Label, $"{setting}={Text(value)}"),
                new Dictionary<string, JsonNode>(run.Overrides) { [setting] = value.DeepClone() }))).ToList();
        return (runs, parsed.Select(a => new SweepAxis(a.Setting, a.Values.Select(Text).ToList())).ToList());
    }

    private static (List<SweepRun>, List<SweepAxis>) RandomSearch(JsonElement? ranges, int? samples, long seed, Dictionary<string, string[]> errors)
    {
        var parsed = Ranges(ranges, samples, errors, "a random search");
        if (parsed is null) return ([], []);
        var random = new Random(unchecked((int)seed));
        var runs = new List<SweepRun>();
        for (int i = 0; i < samples; i++)
            runs.Add(Drawn(parsed.Select(p => p.Setting).ToList(), parsed.Select(p => p.Log
                ? Math.Exp(Math.Log(p.Min) + random.NextDouble() * (Math.Log(p.Max) - Math.Log(p.Min)))
                : p.Min + random.NextDouble() * (p.Max - p.Min)).ToList()));
        return (runs, RangeAxes(parsed.Select(p => p.Setting), runs));
    }

    /// <summary>
    /// A tpe sweep: its first <c>startup</c> runs are drawn at random now (the same draws <see cref="Sweeps.SweepSearchDriver"/> would make
    /// without results); the rest are proposed one by one as runs end.
    /// </summary>
    private static (List<SweepRun>, List<SweepAxis>) ModelSearch(JsonElement? ranges, int? samples, int? startup, long seed, Dictionary<string, string[]> errors, out SweepSearch? search)
    {
        search = null;
        var parsed = Ranges(ranges, samples, errors, "a tpe search");
        if (parsed is null) return ([], []);
        int first = startup ?? Math.Min(samples!.Value, Math.Clamp(samples.Value / 4, 2, 10));
        var made = new SweepSearch(parsed.Select(p => new SweepRange(p.Setting.FlatJsonName, p.Min, p.Max, p.Log)).ToList(), samples!.Value, first, seed);
        var sampler = Sweeps.SweepSearchDriver.Sampler(made);
        var runs = Enumerable.Range(0, first).Select(i => Drawn(parsed.Select(p => p.Setting).ToList(), sampler.Propose([], Sweeps.SweepSearchDriver.ProposalSeed(made, i)))).ToList();
        search = made;
        return (runs, RangeAxes(parsed.Select(p => p.Setting), runs));
    }

    private static List<(ConfigSetting Setting, double Min, double Max, bool Log)>? Ranges(JsonElement? ranges, int? samples, Dictionary<string, string[]> errors, string what)
    {
        if (ranges is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
            errors["ranges"] = [$"{what} needs 'ranges': a list of {{ setting, min, max, log }}."];
        if (samples is null) errors["samples"] = [$"{what} needs 'samples': how many runs to train (1 to {Limits.MaxSweepRuns})."];
        if (errors.Count > 0) return null;

        var parsed = new List<(ConfigSetting Setting, double Min, double Max, bool Log)>();
        int index = 0;
        foreach (var item in ranges!.Value.EnumerateArray())
        {
            string field = $"ranges[{index++}]";
            if (Setting(item, field, errors) is not { } setting) continue;
            var type = Nullable.GetUnderlyingType(setting.Type) ?? setting.Type;
            if (type != typeof(double) && type != typeof(int) && type != typeof(long)) { errors[$"{field}.setting"] = [$"'{setting.FlatJsonName}' is not numeric; use a grid for it."]; continue; }
            if (parsed.Any(p => p.Setting == setting)) { errors[$"{field}.setting"] = [$"'{setting.FlatJsonName}' is already a range."]; continue; }
            double? min = Number(item, "min"), max = Number(item, "max");
            bool log = item.TryGetProperty("log", out var logValue) && logValue.ValueKind == JsonValueKind.True;
            if (min is null || max is null || !(max >= min)) { errors[field] = ["needs numbers 'min' ≤ 'max'."]; continue; }
            if (log && min <= 0) { errors[$"{field}.min"] = ["must be greater than 0 for a log-uniform range."]; continue; }
            parsed.Add((setting, min.Value, max.Value, log));
        }
        return errors.Count > 0 ? null : parsed;
    }

    /// <summary>A run with drawn values: doubles to 4 significant digits, whole-number settings rounded.</summary>
    public static SweepRun Drawn(IReadOnlyList<ConfigSetting> settings, IReadOnlyList<double> values)
    {
        var overrides = new Dictionary<string, JsonNode>();
        for (int d = 0; d < settings.Count; d++)
        {
            var type = Nullable.GetUnderlyingType(settings[d].Type) ?? settings[d].Type;
            overrides[settings[d].FlatJsonName] = type == typeof(double)
                ? JsonValue.Create(double.Parse(values[d].ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
                : JsonValue.Create((long)Math.Round(values[d]));
        }
        return new SweepRun(string.Join(", ", overrides.Select(o => $"{o.Key}={Text(o.Value)}")), overrides);
    }

    private static List<SweepAxis> RangeAxes(IEnumerable<ConfigSetting> settings, List<SweepRun> runs) =>
        settings.Select(s => new SweepAxis(s.FlatJsonName, runs.Select(r => Text(r.Overrides[s.FlatJsonName])).ToList())).ToList();

    private static (List<SweepRun>, List<SweepAxis>) Seeds(int? seeds, long baseSeed, Dictionary<string, string[]> errors)
    {
        if (seeds is null)
        {
            errors["seeds"] = [$"a seed group needs 'seeds': how many seeds (2 to {Limits.MaxSweepRuns})."];
            return ([], []);
        }
        var runs = Enumerable.Range(0, seeds.Value).Select(i => new SweepRun($"seed {baseSeed + i}",
            new Dictionary<string, JsonNode> { ["seed"] = JsonValue.Create(baseSeed + i) })).ToList();
        return (runs, [new SweepAxis("seed", runs.Select(r => Text(r.Overrides["seed"])).ToList())]);
    }

    private static double? Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number) ? number : null;

    public static string Text(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue(out string? text) => text,
        null => "null",
        _ => value.ToJsonString(),
    };

    private static string Join(string a, string b) => a.Length == 0 ? b : $"{a}, {b}";
}
