using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AspireSimClr.Contracts;
using AspireSimClr.Engine.Checkpoints;

namespace AspireSimClr.Engine.Serialization;

/// <summary>
/// Source-generated JSON metadata for what the engine itself writes: checkpoint positions (with
/// the config) and training events. No reflection-based serialisation, which a trimmed publish turns off.
/// </summary>
[JsonSerializable(typeof(TrainingEvent))]
[JsonSerializable(typeof(TrainingPosition))]
[JsonSerializable(typeof(SimClrConfig))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;

public static class EngineJson
{
    /// <summary>Makes <paramref name="options"/> resolve the engine's types and read configs from their defaults.</summary>
    public static JsonSerializerOptions WithEngineTypes(this JsonSerializerOptions options)
    {
        options.TypeInfoResolver = EngineJsonContext.Default;
        options.Converters.Add(new SimClrConfigJsonConverter());
        return options;
    }

    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/>.</summary>
    internal static JsonTypeInfo<T> EngineTypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}

/// <summary>
/// Reads a <see cref="SimClrConfig"/> starting from its defaults, so that settings the JSON leaves
/// out (a partial --config file, a run stored by an older version) keep their default values, as
/// with reflection-based System.Text.Json. Source-generated metadata would set every init-only
/// property, the missing ones to null or 0 (dotnet/runtime#84484). Writes every public property in
/// declaration order, as the reflection-based serializer does.
/// </summary>
public sealed class SimClrConfigJsonConverter : JsonConverter<SimClrConfig>
{
    private static readonly PropertyInfo[] Properties = typeof(SimClrConfig).GetProperties();

    public override SimClrConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A {nameof(SimClrConfig)} must be a JSON object.");
        var config = new SimClrConfig();
        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            var property = Array.Find(Properties, p => p.CanWrite && string.Equals(JsonName(p, options), name, comparison));
            if (property is null)
            {
                reader.Skip();
                continue;
            }
            object? value;
            try
            {
                value = JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(property.PropertyType));
            }
            catch (JsonException ex)
            {
                throw new JsonException($"The JSON value of '{name}' could not be converted to {property.PropertyType}.", ex);
            }
            property.SetValue(config, value);
        }
        return config;
    }

    public override void Write(Utf8JsonWriter writer, SimClrConfig value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var property in Properties)
        {
            writer.WritePropertyName(JsonName(property, options));
            JsonSerializer.Serialize(writer, property.GetValue(value), options.GetTypeInfo(property.PropertyType));
        }
        writer.WriteEndObject();
    }

    private static string JsonName(PropertyInfo property, JsonSerializerOptions options) =>
        options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name;
}
