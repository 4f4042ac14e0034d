using System.Globalization;
using System.Reflection;

namespace AspireSimClr.Contracts;

/// <summary>The sections of a run's settings, in the order the config is written and shown.</summary>
public static class ConfigSections
{
    public const string Data = "data";
    public const string Backbone = "backbone";
    public const string Method = "method";
    public const string Schedule = "schedule";
    public const string Optimizer = "optimizer";
    public const string Views = "views";
    public const string Evaluation = "evaluation";
    public const string Runtime = "runtime";
    public static readonly string[] All = [Data, Backbone, Method, Schedule, Optimizer, Views, Evaluation, Runtime];

    /// <summary>The section's heading in forms and tables ("views" → "Views").</summary>
    public static string Title(string section) => char.ToUpperInvariant(section[0]) + section[1..];
}

/// <summary>Describes one setting of <see cref="TrainingConfig"/>; <see cref="ConfigSchema"/> collects them.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string section, string help) : Attribute
{
    public string Section { get; } = section;
    public string Help { get; } = help;
    /// <summary>The name inside its section when it differs from the property's camelCase name (method.name, backbone.width).</summary>
    public string? Name { get; init; }
    /// <summary>A static class whose <c>All</c> field lists the allowed values (<see cref="MethodNames"/>, …).</summary>
    [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicFields)]
    public Type? Choices { get; init; }
    /// <summary>The methods that read this setting; empty: every method.</summary>
    public string[] Methods { get; init; } = [];
    public double Min { get; init; } = double.NaN;
    public double Max { get; init; } = double.NaN;
    /// <summary>The value must be greater than <see cref="Min"/>, not equal to it.</summary>
    public bool MinExclusive { get; init; }
    /// <summary>The value must be less than <see cref="Max"/>, not equal to it.</summary>
    public bool MaxExclusive { get; init; }
    /// <summary>Why the bounds are what they are, added to the message when a value is out of them.</summary>
    public string? Why { get; init; }
}

/// <summary>
/// One setting, described once: where it sits in the config tree, its names in JSON and on the
/// command line, its form group, type, choices, default, bounds and help. The CLI, the API reader,
/// the validator, the dashboard's form and its config diff all read this description.
/// </summary>
public sealed record ConfigSetting(
    PropertyInfo Property, string Section, string JsonName, string Help, IReadOnlyList<string>? Choices,
    IReadOnlyList<string> Methods, double? Min, double? Max, bool MinExclusive, bool MaxExclusive, string? Why)
{
    public string Name => Property.Name;
    public Type Type => Property.PropertyType;
    /// <summary>Its path in the config tree, e.g. <c>schedule.batchSize</c>.</summary>
    public string Path => $"{Section}.{JsonName}";
    /// <summary>Its name in a flat (version 1) config and in a flat API request: the property's camelCase name.</summary>
    public string FlatJsonName => ConfigSchema.CamelCase(Property.Name);
    public string CliFlag => "--" + ConfigSchema.Kebab(Property.Name);
    public string Group => ConfigSections.Title(Section);
    /// <summary>Whether null is a value (auto, not set): nullable value types and strings declared nullable.</summary>
    public bool IsNullable { get; } = new NullabilityInfoContext().Create(Property).WriteState == NullabilityState.Nullable;
    public object? Default => Property.GetValue(ConfigSchema.Defaults);
    public object? ValueIn(TrainingConfig config) => Property.GetValue(config);
    /// <summary>Whether <paramref name="method"/> reads this setting.</summary>
    public bool AppliesTo(string method) => Methods.Count == 0 || Methods.Contains(method);

    /// <summary>"between 1 and 16,384", "greater than 0 and at most 10", "at least 0"; null without bounds.</summary>
    public string? DescribeBounds()
    {
        string F(double v) => Type == typeof(int) || Type == typeof(int?) || Type == typeof(long) ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("G", CultureInfo.InvariantCulture);
        string? lower = Min is { } min ? (MinExclusive ? $"greater than {F(min)}" : $"at least {F(min)}") : null;
        string? upper = Max is { } max ? (MaxExclusive ? $"less than {F(max)}" : $"at most {F(max)}") : null;
        return (Min, Max) switch
        {
            ({ } low, { } high) when !MinExclusive && !MaxExclusive => $"between {F(low)} and {F(high)}",
            ({ }, { }) => $"{lower} and {upper}",
            _ => lower ?? upper,
        };
    }

    /// <summary>Whether a numeric value is within the bounds (NaN never is).</summary>
    public bool InBounds(double value) =>
        !double.IsNaN(value)
        && (Min is not { } min || (MinExclusive ? value > min : value >= min))
        && (Max is not { } max || (MaxExclusive ? value < max : value <= max));
}

public static class ConfigSchema
{
    /// <summary>The shape written today: the tree of sections. Version 1 was one flat object of every setting.</summary>
    public const int CurrentVersion = 2;

    internal static readonly TrainingConfig Defaults = new();

    /// <summary>Every setting, section by section, in declaration order within a section.</summary>
    public static IReadOnlyList<ConfigSetting> Settings { get; } = Build();

    private static readonly Dictionary<string, ConfigSetting> ByName = Settings.ToDictionary(s => s.Name);
    private static readonly Dictionary<string, ConfigSetting> ByFlatJsonName = Settings.ToDictionary(s => s.FlatJsonName, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, ConfigSetting> ByPath = Settings.ToDictionary(s => s.Path, StringComparer.OrdinalIgnoreCase);

    public static ConfigSetting Setting(string propertyName) => ByName[propertyName];

    /// <summary>The setting of the <see cref="TrainingConfig"/> property named <paramref name="propertyName"/>, or null.</summary>
    public static ConfigSetting? FindByName(string propertyName) => ByName.GetValueOrDefault(propertyName);

    /// <summary>The setting a flat JSON name (<c>batchSize</c>, any case) or a tree path (<c>schedule.batchSize</c>) stands for.</summary>
    public static ConfigSetting? Find(string flatNameOrPath) =>
        ByFlatJsonName.TryGetValue(flatNameOrPath, out var flat) ? flat : ByPath.GetValueOrDefault(flatNameOrPath);

    public static ConfigSetting? Find(string section, string name) => ByPath.GetValueOrDefault($"{section}.{name}");

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    public static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static List<ConfigSetting> Build()
    {
        var settings = new List<ConfigSetting>();
        foreach (var property in typeof(TrainingConfig).GetProperties().Where(p => p.CanWrite))
        {
            var attribute = property.GetCustomAttribute<SettingAttribute>()
                ?? throw new InvalidOperationException($"{nameof(TrainingConfig)}.{property.Name} has no [Setting] description.");
            if (!ConfigSections.All.Contains(attribute.Section))
                throw new InvalidOperationException($"{property.Name}: unknown section '{attribute.Section}'.");
            var choices = attribute.Choices?.GetField("All", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string[];
            settings.Add(new ConfigSetting(property, attribute.Section, attribute.Name ?? CamelCase(property.Name), attribute.Help, choices,
                attribute.Methods, double.IsNaN(attribute.Min) ? null : attribute.Min, double.IsNaN(attribute.Max) ? null : attribute.Max,
                attribute.MinExclusive, attribute.MaxExclusive, attribute.Why));
        }
        return settings.OrderBy(s => Array.IndexOf(ConfigSections.All, s.Section)).ToList();
    }
}
