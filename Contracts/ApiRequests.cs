using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireSimClr.Contracts;

/// <summary>
/// The body of <c>POST /api/runs</c> (also of a fork, where it holds only what changes, and of an augmentation preview):
/// a name, tags and notes beside the run's settings as the config's sections, each setting optional (its default
/// applies). The settings may instead come flat at the top level under their camelCase names (<c>"batchSize": 512</c>),
/// as a version-1 config was written. The trainer reads the body field by field and names every bad one.
/// </summary>
public sealed record NewRunRequest
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? Notes { get; init; }
    /// <summary>The config shape the settings are in: 2 (sections), or 1 (flat).</summary>
    public int? Version { get; init; }
    public JsonObject? Data { get; init; }
    public JsonObject? Backbone { get; init; }
    public JsonObject? Method { get; init; }
    public JsonObject? Schedule { get; init; }
    public JsonObject? Optimizer { get; init; }
    public JsonObject? Views { get; init; }
    public JsonObject? Evaluation { get; init; }
    public JsonObject? Runtime { get; init; }
}

/// <summary>The body of <c>PATCH /api/runs/{id}</c>: what to change of a run's name, tags and notes (the rest stays).</summary>
public sealed record RunEdit(string? Name, IReadOnlyList<string>? Tags, string? Notes);

/// <summary>
/// The body of <c>POST /api/sweeps</c>: a name, a kind (<see cref="SweepKinds"/>), the base settings (a new run's body)
/// and what varies: <see cref="Axes"/> (grid: each setting's values), <see cref="Ranges"/> and <see cref="Samples"/>
/// (random: each setting drawn from [min, max], log-uniform when <c>log</c>; tpe: the same ranges searched by a model, samples runs
/// in all, the first <see cref="Startup"/> at random), or <see cref="Seeds"/> (that many consecutive seeds).
/// </summary>
public sealed record NewSweepRequest
{
    public string? Name { get; init; }
    public required string Kind { get; init; }
    public NewRunRequest? Settings { get; init; }
    public IReadOnlyList<SweepAxisRequest>? Axes { get; init; }
    public IReadOnlyList<SweepRange>? Ranges { get; init; }
    public int? Samples { get; init; }
    /// <summary>tpe: how many runs are drawn at random, and queued at once, before the model proposes (default a quarter of samples, 2 to 10).</summary>
    public int? Startup { get; init; }
    public int? Seeds { get; init; }
    /// <summary>Grid and random sweeps: stop weak runs at these rungs (metric defaults to knn, reductionFactor to 3).</summary>
    public EarlyStopping? EarlyStopping { get; init; }
}

/// <summary>One setting of a grid sweep (its flat name or path) and the values it takes.</summary>
public sealed record SweepAxisRequest(string Setting, IReadOnlyList<JsonElement> Values);

/// <summary>One setting of a random search and the range it is drawn from.</summary>
public sealed record SweepRange(string Setting, double Min, double Max, bool? Log);
