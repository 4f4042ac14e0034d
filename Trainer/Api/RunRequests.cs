using System.Reflection;
using System.Text.Json;
using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Api;

/// <summary>A new run: name, tags and notes beside any SimClrConfig settings, all at the top level of the JSON body.</summary>
public sealed record CreateRunRequest(string Name, IReadOnlyList<string> Tags, string Notes, SimClrConfig Config);

public sealed record UpdateRunRequest(string? Name, IReadOnlyList<string>? Tags, string? Notes);

/// <summary>Reads run requests field by field so that every bad field is reported by its name.</summary>
public static class RunRequestReader
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();
    public const int MaxNameLength = 200;
    public const int MaxNotesLength = 10_000;
    public const int MaxTags = 32;
    public const int MaxTagLength = 64;

    private static readonly NullabilityInfoContext Nullability = new();
    private static readonly Dictionary<string, PropertyInfo> ConfigProperties = typeof(SimClrConfig).GetProperties()
        .Where(p => p.CanWrite).ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.OrdinalIgnoreCase);

    public static string FieldName(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    public static (CreateRunRequest? Request, Dictionary<string, string[]> Errors) ReadCreate(JsonElement body, SimClrConfig defaults)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, new() { ["body"] = ["must be a JSON object of run settings."] });

        string name = "", notes = "";
        IReadOnlyList<string> tags = [];
        var config = defaults with { };
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "name": name = ReadString(property, MaxNameLength, errors) ?? ""; continue;
                case "notes": notes = ReadString(property, MaxNotesLength, errors) ?? ""; continue;
                case "tags": tags = ReadTags(property, errors) ?? []; continue;
            }
            if (!ConfigProperties.TryGetValue(property.Name, out var target))
            {
                errors[property.Name] = ["is not a run setting."];
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Null && Nullability.Create(target).WriteState != NullabilityState.Nullable)
            {
                errors[FieldName(target.Name)] = [$"must be {Describe(target.PropertyType)}, not null."];
                continue;
            }
            try
            {
                target.SetValue(config, property.Value.Deserialize(Json.GetTypeInfo(target.PropertyType)));
            }
            catch (JsonException)
            {
                errors[FieldName(target.Name)] = [$"must be {Describe(target.PropertyType)}."];
            }
        }
        return errors.Count > 0 ? (null, errors) : (new CreateRunRequest(name, tags, notes, config), errors);
    }

    public static (UpdateRunRequest? Request, Dictionary<string, string[]> Errors) ReadUpdate(JsonElement body)
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
        return errors.Count > 0 ? (null, errors) : (new UpdateRunRequest(name?.Trim(), tags, notes), errors);
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

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        _ => "a string",
    } + (Nullable.GetUnderlyingType(type) is not null ? " or null" : "");
}
