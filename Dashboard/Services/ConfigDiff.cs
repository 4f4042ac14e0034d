using System.Globalization;
using System.Reflection;

namespace AspireSimClr.Dashboard.Services;

/// <summary>One setting across several runs, and whether the runs disagree on it.</summary>
public sealed record ConfigRow(string Setting, IReadOnlyList<string> Values)
{
    public bool Differs => Values.Distinct().Count() > 1;
}

public static class ConfigDiff
{
    private static readonly PropertyInfo[] Settings = typeof(SimClrConfig).GetProperties().Where(p => p.CanWrite).ToArray();

    public static IReadOnlyList<ConfigRow> Rows(IReadOnlyList<SimClrConfig> configs, bool differencesOnly)
    {
        var rows = Settings.Select(p => new ConfigRow(p.Name, configs.Select(c => Format(p.GetValue(c))).ToList()));
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
