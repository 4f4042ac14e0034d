using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace AspireSimClr.Embeddings;

/// <summary>What an exported encoder says about itself in its ONNX metadata (written by the trainer's export).</summary>
public sealed record EncoderModelInfo(
    string? RunId,
    string Method,
    string Model,
    int Epoch,
    int ImageSize,
    bool TakesBytes,
    IReadOnlyList<float> NormalizationMean,
    IReadOnlyList<float> NormalizationStd,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> Outputs)
{
    public static EncoderModelInfo Read(InferenceSession session)
    {
        var metadata = session.ModelMetadata.CustomMetadataMap;
        string Required(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"The model's metadata has no '{key}': it was not exported by AspireSimClr.");
        T[] List<T>(string key) => metadata.TryGetValue(key, out var json) ? JsonSerializer.Deserialize<T[]>(json) ?? [] : [];

        return new EncoderModelInfo(
            metadata.GetValueOrDefault("run_id"),
            Required("method"),
            Required("model"),
            int.Parse(Required("epoch"), CultureInfo.InvariantCulture),
            int.Parse(Required("image_size"), CultureInfo.InvariantCulture),
            Required("input_type") == "uint8",
            List<float>("normalization_mean"),
            List<float>("normalization_std"),
            List<string>("classes"),
            [.. session.OutputNames]);
    }
}
