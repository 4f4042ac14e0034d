using System.Text.Json;
using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// A new run: name, tags and notes beside its settings, either flat at the top level of the JSON body
/// (each under its camelCase name, as the dashboard sends them) or as the config's sections
/// (<c>"schedule": {"batchSize": 512}</c>, the shape a run's config is returned in).
/// </summary>
/// <param name="SettingsAsTree">The settings came as sections; errors then name their paths (<c>schedule.batchSize</c>).</param>
public sealed record CreateRunRequest(string Name, IReadOnlyList<string> Tags, string Notes, TrainingConfig Config, bool SettingsAsTree = false);

/// <summary>Reads run requests field by field, with <see cref="ConfigSchema"/>, so that every bad field is reported by its name.</summary>
public static class RunRequestReader
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();
    public const int MaxNameLength = 200;
    public const int MaxNotesLength = 10_000;
    public const int MaxTags = 32;
    public const int MaxTagLength = 64;

    /// <summary>The name an error about <paramref name="property"/> is reported under: its path when the request came as a tree, else its flat name.</summary>
    public static string FieldName(string property, bool asTree = false) =>
        ConfigSchema.FindByName(property) is { } setting
            ? asTree ? setting.Path : setting.FlatJsonName
            : ConfigSchema.CamelCase(property);

    public static (CreateRunRequest? Request, Dictionary<string, string[]> Errors) ReadCreate(JsonElement body, TrainingConfig defaults)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, new() { ["body"] = ["must be a JSON object of run settings."] });

        string name = "", notes = "";
        IReadOnlyList<string> tags = [];
        bool asTree = false;
        var config = defaults with { };
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "name": name = ReadString(property, MaxNameLength, errors) ?? ""; continue;
                case "notes": notes = ReadString(property, MaxNotesLength, errors) ?? ""; continue;
                case "tags": tags = ReadTags(property, errors) ?? []; continue;
                case "version":
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out int version) || version is < 1 or > ConfigSchema.CurrentVersion)
                        errors[property.Name] = [$"must be a config version from 1 to {ConfigSchema.CurrentVersion}."];
                    continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Object && ConfigSections.All.FirstOrDefault(s => s.Equals(property.Name, StringComparison.OrdinalIgnoreCase)) is { } section)
            {
                asTree = true;
                foreach (var inner in property.Value.EnumerateObject())
                {
                    if (ConfigSchema.Find(section, inner.Name) is { } nested) Read(inner.Value, nested, nested.Path, config, errors);
                    else errors[$"{section}.{inner.Name}"] = ["is not a run setting."];
                }
                continue;
            }
            if (!property.Name.Contains('.') && ConfigSchema.Find(property.Name) is { } setting) Read(property.Value, setting, setting.FlatJsonName, config, errors);
            else errors[property.Name] = ["is not a run setting."];
        }
        return errors.Count > 0 ? (null, errors) : (new CreateRunRequest(name, tags, notes, config, asTree), errors);
    }

    private static void Read(JsonElement value, ConfigSetting setting, string field, TrainingConfig config, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null && !setting.IsNullable)
        {
            errors[field] = [$"must be {TrainingConfigJsonConverter.Describe(setting.Type)}, not null."];
            return;
        }
        try
        {
            setting.Property.SetValue(config, value.Deserialize(Json.GetTypeInfo(setting.Type)));
        }
        catch (JsonException)
        {
            errors[field] = [$"must be {TrainingConfigJsonConverter.Describe(setting.Type)}."];
        }
    }

    public static (RunEdit? Request, Dictionary<string, string[]> Errors) ReadUpdate(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, new() { ["body"] = ["must be a JSON object with name, tags and/or notes."] });
        string? name = null, notes = null;
        IReadOnlyList<string>? tags = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "name":
                    name = ReadString(property, MaxNameLength, errors);
                    if (name is not null && string.IsNullOrWhiteSpace(name)) errors["name"] = ["must not be empty."];
                    break;
                case "notes": notes = ReadString(property, MaxNotesLength, errors); break;
                case "tags": tags = ReadTags(property, errors); break;
                default: errors[property.Name] = ["cannot be changed after a run is created; only name, tags and notes can."]; break;
            }
        }
        return errors.Count > 0 ? (null, errors) : (new RunEdit(name?.Trim(), tags, notes), errors);
    }

    private static string? ReadString(JsonProperty property, int maxLength, Dictionary<string, string[]> errors)
    {
        if (property.Value.ValueKind != JsonValueKind.String)
        {
            errors[property.Name] = ["must be a string."];
            return null;
        }
        var value = property.Value.GetString()!;
        if (value.Length <= maxLength) return value;
        errors[property.Name] = [$"must be at most {maxLength:N0} characters (got {value.Length:N0})."];
        return null;
    }

    private static IReadOnlyList<string>? ReadTags(JsonProperty property, Dictionary<string, string[]> errors)
    {
        if (property.Value.ValueKind != JsonValueKind.Array || !property.Value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
        {
            errors[property.Name] = ["must be an array of strings."];
            return null;
        }
        var tags = property.Value.EnumerateArray().Select(t => t.GetString()!.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        if (tags.Count > MaxTags || tags.Any(t => t.Length > MaxTagLength))
        {
            errors[property.Name] = [$"must be at most {MaxTags} tags of at most {MaxTagLength} characters each."];
            return null;
        }
        return tags;
    }
}
