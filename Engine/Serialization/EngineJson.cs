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
[JsonSerializable(typeof(TrainingConfig))]
[JsonSerializable(typeof(EmbeddingSample))]
[JsonSerializable(typeof(EmbeddingMap))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;

public static class EngineJson
{
    /// <summary>Makes <paramref name="options"/> resolve the engine's types (a config converts itself: <see cref="TrainingConfigJsonConverter"/>).</summary>
    public static JsonSerializerOptions WithEngineTypes(this JsonSerializerOptions options)
    {
        options.TypeInfoResolver = EngineJsonContext.Default;
        return options;
    }

    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/>.</summary>
    internal static JsonTypeInfo<T> EngineTypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
