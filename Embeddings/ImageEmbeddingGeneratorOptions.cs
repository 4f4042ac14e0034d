namespace AspireSimClr.Embeddings;

public sealed record ImageEmbeddingGeneratorOptions
{
    /// <summary>Which of the model's outputs to return: "embedding" (the encoder's, for search and probes) or "projection".</summary>
    public string Output { get; init; } = "embedding";

    /// <summary>Scale each vector to unit length, so that a dot product is the cosine similarity.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Images per ONNX Runtime call.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>ONNX Runtime's session settings (threads, execution providers); null for its defaults.</summary>
    public Microsoft.ML.OnnxRuntime.SessionOptions? SessionOptions { get; init; }
}
