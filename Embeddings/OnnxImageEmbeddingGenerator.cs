using System.Numerics.Tensors;
using AspireSimClr.Imaging;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AspireSimClr.Embeddings;

/// <summary>
/// Embeds images (encoded bytes: JPEG, PNG, WebP, …) with an encoder exported by AspireSimClr as ONNX. Each image is
/// prepared as in training (shorter side resized to the model's size, centre crop, RGB); the model normalises it itself.
/// </summary>
public sealed class OnnxImageEmbeddingGenerator : IEmbeddingGenerator<DataContent, Embedding<float>>
{
    private const string InputName = "images";
    private readonly InferenceSession _session;
    private readonly ImageEmbeddingGeneratorOptions _options;

    public OnnxImageEmbeddingGenerator(string modelPath, ImageEmbeddingGeneratorOptions? options = null)
    {
        _options = options ?? new ImageEmbeddingGeneratorOptions();
        if (_options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.BatchSize, "BatchSize must be at least 1.");
        _session = _options.SessionOptions is { } sessionOptions ? new InferenceSession(modelPath, sessionOptions) : new InferenceSession(modelPath);
        try
        {
            Model = EncoderModelInfo.Read(_session);
            if (!Model.Outputs.Contains(_options.Output))
                throw new ArgumentException($"The model has no output '{_options.Output}'; it has {string.Join(", ", Model.Outputs)}.", nameof(options));
            Dimensions = (int)_session.OutputMetadata[_options.Output].Dimensions[^1];
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        Metadata = new EmbeddingGeneratorMetadata("AspireSimClr ONNX", new Uri(Path.GetFullPath(modelPath)), $"{Model.Method}/{Model.Model}", Dimensions);
    }

    public EncoderModelInfo Model { get; }

    public int Dimensions { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var images = values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(images.Count);
        for (int start = 0; start < images.Count; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = images.GetRange(start, Math.Min(_options.BatchSize, images.Count - start));
            var vectors = await Task.Run(() => Embed(batch, start), cancellationToken);
            result.AddRange(vectors.Select(v => new Embedding<float>(v) { ModelId = Metadata.DefaultModelId, CreatedAt = DateTimeOffset.UtcNow }));
        }
        return result;
    }

    /// <summary>An image's model input: size × size RGB bytes in CHW order, as training prepares it.</summary>
    public byte[] Prepare(ReadOnlySpan<byte> encodedImage, string what = "the image")
    {
        var pixels = new byte[3 * Model.ImageSize * Model.ImageSize];
        if (ImagePixels.TryDecodeInto(encodedImage, Model.ImageSize, pixels) is { } problem) throw new ArgumentException($"{what} {problem}");
        return pixels;
    }

    private List<float[]> Embed(List<DataContent> batch, int offset)
    {
        int size = Model.ImageSize, imageBytes = 3 * size * size;
        var pixels = new byte[batch.Count * imageBytes];
        for (int i = 0; i < batch.Count; i++)
        {
            var content = batch[i];
            var what = $"Image {offset + i}{(content.Name is { } name ? $" ({name})" : "")}";
            if (!content.HasTopLevelMediaType("image")) throw new ArgumentException($"{what} has media type '{content.MediaType}', not image/*.");
            Prepare(content.Data.Span, what).CopyTo(pixels.AsSpan(i * imageBytes));
        }

        int[] shape = [batch.Count, 3, size, size];
        NamedOnnxValue input = Model.TakesBytes
            ? NamedOnnxValue.CreateFromTensor(InputName, new DenseTensor<byte>(pixels, shape))
            : NamedOnnxValue.CreateFromTensor(InputName, new DenseTensor<float>(pixels.Select(p => p / 255f).ToArray(), shape));
        using var outputs = _session.Run([input], [_options.Output]);
        var flat = outputs[0].AsTensor<float>().ToArray();
        var vectors = new List<float[]>(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            var vector = flat.AsSpan(i * Dimensions, Dimensions).ToArray();
            if (_options.Normalize)
            {
                float norm = TensorPrimitives.Norm<float>(vector);
                if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
            }
            vectors.Add(vector);
        }
        return vectors;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceType == typeof(EncoderModelInfo) ? Model
        : serviceType == typeof(InferenceSession) ? _session
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => _session.Dispose();
}
