namespace AspireSimClr.Dashboard.Services;

/// <summary>A run's colour, derived from its id alone so it is the same on every page and after reloads.</summary>
public static class RunColors
{
    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
    ];

    public static string For(string runId)
    {
        uint hash = 2166136261;
        foreach (char c in runId) hash = (hash ^ c) * 16777619;
        return Palette[hash % Palette.Length];
    }
}
