using System.Globalization;
using System.Text.Json;

namespace AspireSimClr.Dashboard.Services;

/// <summary>
/// The new-run form's model: every <see cref="TrainingConfig"/> setting as text, grouped by the
/// config's sections as <see cref="ConfigSchema"/> describes them, with the API's field errors
/// attached by field name.
/// </summary>
public sealed class RunForm
{
    public sealed record Field(string Name, string Label, string Group, Type Type, IReadOnlyList<string>? Choices, string Help, ConfigSetting Setting)
    {
        public string JsonName => Setting.FlatJsonName;
        public bool IsBool => Type == typeof(bool);
        /// <summary>A yes/no setting that may also be left to the trainer: shown as auto, true, false.</summary>
        public bool IsAutoBool => Type == typeof(bool?);
        public bool IsOptional => Setting.IsNullable || Type == typeof(string);
        /// <summary>The help text with the setting's bounds, shown under the field.</summary>
        public string HelperText => Setting.DescribeBounds() is { } bounds ? $"{Help} ({bounds})" : Help;
    }

    /// <summary>The config's sections, in order, as form groups.</summary>
    public static readonly string[] Groups = [.. ConfigSections.All.Select(ConfigSections.Title)];

    private const string Auto = "auto";
    private static readonly string[] AutoBoolChoices = [Auto, "true", "false"];

    public static IReadOnlyList<Field> Fields { get; } = ConfigSchema.Settings
        .Select(s => new Field(s.Name, Label(s.Name), s.Group, s.Type, s.Choices ?? (s.Type == typeof(bool?) ? AutoBoolChoices : null), s.Help, s))
        .ToList();

    public string Name { get; set; } = "";
    public string Tags { get; set; } = "";
    public string Notes { get; set; } = "";
    public Dictionary<string, string> Values { get; } = [];
    public Dictionary<string, bool> Flags { get; } = [];
    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    public RunForm() => Load(new TrainingConfig());

    public void Load(TrainingConfig config)
    {
        foreach (var field in Fields)
        {
            var value = field.Setting.ValueIn(config);
            if (field.IsBool) Flags[field.Name] = (bool)value!;
            else Values[field.Name] = value switch
            {
                null => field.IsAutoBool ? Auto : "",
                bool b => b ? "true" : "false",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }
    }

    /// <summary>Whether the chosen method reads <paramref name="field"/>; the form hides the other methods' settings.</summary>
    public bool Shows(Field field) => field.Setting.AppliesTo(Values[nameof(TrainingConfig.Method)]);

    public string? ErrorFor(string jsonName) => Errors.TryGetValue(jsonName, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>The request body: name, tags, notes and every setting; text that is not a number goes as text, for the API to name.</summary>
    public Dictionary<string, object?> ToRequest()
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["tags"] = Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ["notes"] = Notes,
        };
        foreach (var field in Fields)
        {
            if (field.IsBool) { body[field.JsonName] = Flags[field.Name]; continue; }
            var text = Values[field.Name].Trim();
            var type = Nullable.GetUnderlyingType(field.Type) ?? field.Type;
            body[field.JsonName] = (text.Length == 0 || (field.IsAutoBool && text == Auto)) && field.IsOptional ? null
                : field.IsAutoBool && bool.TryParse(text, out var flag) ? flag
                : type == typeof(string) ? text
                : type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : (type == typeof(int) || type == typeof(long)) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
                : text;
        }
        return body;
    }

    private static string Label(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>
    /// Puts the trainer's field errors on the fields (<see cref="Errors"/>) and returns the problem to show above the form:
    /// its title with the errors that name no field of the form.
    /// </summary>
    public string? ShowErrors(string? problem, IReadOnlyDictionary<string, string[]> fieldErrors)
    {
        Errors = fieldErrors;
        var unplaced = fieldErrors.Keys.Where(k => !Fields.Any(f => f.JsonName == k) && k is not ("name" or "tags" or "notes")).ToList();
        return problem + (unplaced.Count > 0 ? " " + string.Join(" ", unplaced.Select(k => $"{k}: {string.Join(" ", fieldErrors[k])}")) : "");
    }
}
