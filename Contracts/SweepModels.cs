namespace AspireSimClr.Contracts;

public static class SweepKinds
{
    /// <summary>Every combination of the axes' values.</summary>
    public const string Grid = "grid";
    /// <summary>Samples drawn from each axis's range (uniform, or log-uniform).</summary>
    public const string Random = "random";
    /// <summary>The same settings with consecutive seeds.</summary>
    public const string Seeds = "seeds";
    public static readonly string[] All = [Grid, Random, Seeds];
}

/// <summary>Runs queued together from one request: a grid, random search or seed group over the same base settings.</summary>
/// <param name="Axes">The settings that vary between the runs and the values they took.</param>
public sealed record Sweep(string Id, string Name, string Kind, IReadOnlyList<SweepAxis> Axes, DateTimeOffset CreatedAt, IReadOnlyList<string> RunIds);

/// <summary>One varied setting (flat name, as in a run request) and its values, as text, in run order.</summary>
public sealed record SweepAxis(string Setting, IReadOnlyList<string> Values);

/// <summary>A sweep and its runs, as the API returns one.</summary>
public sealed record SweepDetail(Sweep Sweep, IReadOnlyList<Run> Runs);
