using System.Globalization;

namespace AspireSimClr.Dashboard.Services;

/// <summary>One setting across several runs, and whether the runs disagree on it.</summary>
public sealed record ConfigRow(string Setting, IReadOnlyList<string> Values)
{
    public bool Differs => Values.Distinct().Count() > 1;
}

public static class ConfigDiff
{
    /// <summary>One row per setting, named by its path in the config tree (<c>method.name</c>), in the schema's order.</summary>
    public static IReadOnlyList<ConfigRow> Rows(IReadOnlyList<TrainingConfig> configs, bool differencesOnly)
    {
        var rows = ConfigSchema.Settings.Select(s => new ConfigRow(s.Path, configs.Select(c => Format(s.ValueIn(c))).ToList()));
        return (differencesOnly ? rows.Where(r => r.Differs) : rows).ToList();
    }

    public static string Format(object? value) => value switch
    {
        null => "—",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
