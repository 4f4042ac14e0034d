using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireSimClr.Contracts;

/// <summary>
/// A <see cref="TrainingConfig"/> in JSON: written as version 2, a tree of sections in the order of
/// <see cref="ConfigSections"/> (<c>{"version": 2, "data": {…}, "backbone": {…}, "method": {"name": …}, …}</c>);
/// read from that tree or from version 1, the flat object of every setting that runs, checkpoints
/// and config files stored before (names in any case). Settings the JSON leaves out keep their
/// defaults; names it does not know are skipped. Values are read and written here, setting by
/// setting, so no reflection-based or generated metadata is needed for them.
/// </summary>
public sealed class TrainingConfigJsonConverter : JsonConverter<TrainingConfig>
{
    public override TrainingConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A run's config must be a JSON object.");
        var config = new TrainingConfig();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (name.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int version) || version < 1)
                    throw new JsonException("The config's 'version' must be a whole number of at least 1.");
                if (version > ConfigSchema.CurrentVersion)
                    throw new JsonException($"The config is version {version}, written by a newer AspireSimClr; this one reads up to version {ConfigSchema.CurrentVersion}.");
                continue;
            }
            var section = reader.TokenType == JsonTokenType.StartObject
                ? ConfigSections.All.FirstOrDefault(s => s.Equals(name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (section is not null)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string settingName = reader.GetString()!;
                    reader.Read();
                    if (ConfigSchema.Find(section, settingName) is { } setting) Set(ref reader, config, setting, setting.Path);
                    else reader.Skip();
                }
                continue;
            }
            // Version 1: every setting at the top level under its own name.
            if (ConfigSchema.Find(name) is { } flat && !name.Contains('.')) Set(ref reader, config, flat, flat.FlatJsonName);
            else reader.Skip();
        }
        return config;
    }

    public override void Write(Utf8JsonWriter writer, TrainingConfig value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", ConfigSchema.CurrentVersion);
        foreach (var section in ConfigSections.All)
        {
            writer.WriteStartObject(section);
            foreach (var setting in ConfigSchema.Settings.Where(s => s.Section == section))
            {
                writer.WritePropertyName(setting.JsonName);
                WriteValue(writer, setting.ValueIn(value));
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void Set(ref Utf8JsonReader reader, TrainingConfig config, ConfigSetting setting, string name) =>
        setting.Property.SetValue(config, ReadValue(ref reader, setting, name));

    /// <summary>One setting's value; a JsonException names the setting as the JSON called it.</summary>
    public static object? ReadValue(ref Utf8JsonReader reader, ConfigSetting setting, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return setting.IsNullable ? null : throw new JsonException($"The JSON value of '{name}' must be {Describe(setting.Type)}, not null.");
        var type = Nullable.GetUnderlyingType(setting.Type) ?? setting.Type;
        object? value = null;
        if (type == typeof(string) && reader.TokenType == JsonTokenType.String) value = reader.GetString();
        else if (type == typeof(bool) && reader.TokenType is JsonTokenType.True or JsonTokenType.False) value = reader.GetBoolean();
        else if (type == typeof(int) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int i)) value = i;
        else if (type == typeof(long) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long l)) value = l;
        else if (type == typeof(double) && reader.TokenType == JsonTokenType.Number) value = reader.GetDouble();
        return value ?? throw new JsonException($"The JSON value of '{name}' could not be converted to {setting.Type}: it must be {Describe(setting.Type)}.");
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            // Validated configs hold finite numbers; anything else is written as text rather than failing a whole run's record.
            case double d: writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            default: throw new JsonException($"Unsupported setting type {value.GetType()}.");
        }
    }

    public static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        _ => "a string",
    } + (Nullable.GetUnderlyingType(type) is not null ? " or null" : "");
}
