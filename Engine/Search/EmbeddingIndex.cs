using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Search;

/// <summary>Where an indexed image comes from: its split ("train" or "test"), its position there and its label (−1: none).</summary>
public sealed record IndexedImage(string Split, int Position, long Label);

public sealed record SearchHit(int Index, float Score);

public sealed record DuplicatePair(int First, int Second, float Score);

/// <summary>
/// Unit-length representations of every image of a dataset (train, then test), searched exactly by cosine similarity:
/// one matrix product per query batch, which at CIFAR scale (60,000 × 256) is milliseconds.
/// </summary>
public sealed partial class EmbeddingIndex : IDisposable
{
    private const int Chunk = 2048;

    public EmbeddingIndex(Tensor vectors, IReadOnlyList<IndexedImage> images, IReadOnlyList<string> classNames)
    {
        if (vectors.dim() != 2 || vectors.shape[0] != images.Count || vectors.dtype != ScalarType.Float32)
            throw new ArgumentException($"vectors must be float32 [{images.Count}, D], got {vectors.dtype} [{string.Join(", ", vectors.shape)}].");
        Vectors = vectors;
        Images = images;
        ClassNames = classNames;
    }

    /// <summary>[Count, Dimensions], each row of unit length.</summary>
    public Tensor Vectors { get; }
    public IReadOnlyList<IndexedImage> Images { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Images.Count;
    public int Dimensions => (int)Vectors.shape[1];

    /// <summary>The encoder's representations of the train split and, when there is one, the test split.</summary>
    public static EmbeddingIndex Build(Encoder encoder, DatasetSplits data, Normalization normalization, int imageSize, Device device, CancellationToken cancellationToken = default)
    {
        var splits = new List<(string Name, ImageDataset Images)> { ("train", data.Train) };
        if (data.Test is { } test) splits.Add(("test", test));
        var parts = new List<Tensor>();
        try
        {
            foreach (var (_, images) in splits)
                parts.Add(FeatureExtractor.Extract(encoder, images, normalization, imageSize, device, cancellationToken: cancellationToken));
            using var all = cat(parts, 0);
            var vectors = nn.functional.normalize(all, dim: 1).cpu();
            var entries = splits.SelectMany(s => Enumerable.Range(0, s.Images.Count).Select(i => new IndexedImage(s.Name, i, s.Images.Labels?[i] ?? -1))).ToList();
            return new EmbeddingIndex(vectors, entries, data.Train.ClassNames);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>The k entries most similar to a representation (any length; it is normalised), best first.</summary>
    public IReadOnlyList<SearchHit> Search(float[] query, int k, int? exclude = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var q = nn.functional.normalize(tensor(query).reshape(1, -1), dim: 1);
        var scores = Vectors.matmul(q.t()).squeeze(1);
        if (exclude is { } self) scores[self] = tensor(float.NegativeInfinity);
        var (values, indices) = scores.topk(Math.Min(k, Count - (exclude is null ? 0 : 1)));
        var s = HostArrays.ToArray<float>(values);
        var i = HostArrays.ToArray<long>(indices);
        return [.. s.Select((score, n) => new SearchHit((int)i[n], score))];
    }

    /// <summary>Pairs of different entries at least <paramref name="threshold"/> similar, most similar first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<DuplicatePair> NearDuplicates(double threshold, int limit, CancellationToken cancellationToken = default)
    {
        var found = new List<DuplicatePair>();
        using var noGrad = no_grad();
        for (long start = 0; start < Count; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long rows = Math.Min(Chunk, Count - start);
            // Row i against columns j > i only: each pair once, never an entry with itself.
            var scores = Vectors.narrow(0, start, rows).matmul(Vectors.t());
            var row = arange(start, start + rows).unsqueeze(1);
            scores.masked_fill_(arange(Count).unsqueeze(0).le(row), float.NegativeInfinity);
            var hits = scores.ge(threshold).nonzero();
            if (hits.shape[0] == 0) continue;
            var values = HostArrays.ToArray<float>(scores[hits.select(1, 0), hits.select(1, 1)]);
            var pairs = HostArrays.ToArray<long>(hits);
            for (int n = 0; n < values.Length; n++) found.Add(new DuplicatePair((int)(start + pairs[2 * n]), (int)pairs[2 * n + 1], values[n]));
            if (found.Count > 4 * limit) found = [.. found.OrderByDescending(p => p.Score).Take(limit)];
        }
        return [.. found.OrderByDescending(p => p.Score).ThenBy(p => p.First).ThenBy(p => p.Second).Take(limit)];
    }

    /// <summary>
    /// Retrieval precision@k by class: for each labelled test image, the share of its k most similar labelled train images
    /// that have its class (leave-one-out over the train images when there is no test split); null without labels.
    /// </summary>
    public double? PrecisionAtK(int k, CancellationToken cancellationToken = default)
    {
        var gallery = Enumerable.Range(0, Count).Where(i => Images[i].Split == "train" && Images[i].Label >= 0).ToArray();
        var queries = Enumerable.Range(0, Count).Where(i => Images[i].Split == "test" && Images[i].Label >= 0).ToArray();
        bool leaveOneOut = queries.Length == 0;
        if (leaveOneOut) queries = gallery;
        if (gallery.Length <= k || queries.Length == 0) return null;

        using var noGrad = no_grad();
        using var galleryIndex = tensor(gallery.Select(i => (long)i).ToArray());
        using var galleryVectors = Vectors.index_select(0, galleryIndex);
        using var galleryLabels = tensor(gallery.Select(i => Images[i].Label).ToArray());
        long matches = 0;
        for (int start = 0; start < queries.Length; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batch = queries.AsSpan(start, Math.Min(Chunk, queries.Length - start)).ToArray();
            var scores = Vectors.index_select(0, tensor(batch.Select(i => (long)i).ToArray())).matmul(galleryVectors.t());
            if (leaveOneOut) scores.scatter_(1, arange(start, start + batch.Length).unsqueeze(1), full([batch.Length, 1], float.NegativeInfinity));
            var neighbours = scores.topk(k, dim: 1).indexes;
            var labels = galleryLabels[neighbours];
            var own = tensor(batch.Select(i => Images[i].Label).ToArray()).unsqueeze(1);
            matches += labels.eq(own).sum().item<long>();
        }
        return (double)matches / ((long)queries.Length * k);
    }

    public const string VectorsFile = "vectors.f32";
    public const string ManifestFile = "index.json";

    private sealed record Manifest(int Count, int Dimensions, IReadOnlyList<string> ClassNames, IReadOnlyList<string> Splits, IReadOnlyList<int> Positions, IReadOnlyList<long> Labels);

    /// <summary>
    /// Writes the vectors (float32, little-endian, row-major) and a manifest of the entries into <paramref name="folder"/>,
    /// each through a temporary file renamed into place, the manifest last: a folder with a manifest holds a whole index.
    /// </summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, ManifestFile);
        File.Delete(manifestPath);
        Runtime.AtomicFile.Write(Path.Combine(folder, VectorsFile), stream => stream.Write(Vectors.contiguous().bytes));
        var manifest = new Manifest(Count, Dimensions, ClassNames, [.. Images.Select(i => i.Split)], [.. Images.Select(i => i.Position)], [.. Images.Select(i => i.Label)]);
        Runtime.AtomicFile.Write(manifestPath, stream => System.Text.Json.JsonSerializer.Serialize(stream, manifest, SearchJson.Default.Manifest));
    }

    /// <summary>The index saved in <paramref name="folder"/>; null when there is none (or only part of one).</summary>
    public static EmbeddingIndex? Load(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        var vectorsPath = Path.Combine(folder, VectorsFile);
        if (!File.Exists(manifestPath) || !File.Exists(vectorsPath)) return null;
        Manifest manifest;
        using (var stream = File.OpenRead(manifestPath))
            manifest = System.Text.Json.JsonSerializer.Deserialize(stream, SearchJson.Default.Manifest)
                ?? throw new InvalidDataException($"{manifestPath}: empty manifest.");
        var bytes = File.ReadAllBytes(vectorsPath);
        if (bytes.Length != (long)manifest.Count * manifest.Dimensions * sizeof(float))
            throw new InvalidDataException($"{vectorsPath}: {bytes.Length} bytes, expected {manifest.Count} × {manifest.Dimensions} floats.");
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        var images = Enumerable.Range(0, manifest.Count).Select(i => new IndexedImage(manifest.Splits[i], manifest.Positions[i], manifest.Labels[i])).ToList();
        return new EmbeddingIndex(tensor(values, [manifest.Count, manifest.Dimensions]), images, manifest.ClassNames);
    }

    public void Dispose() => Vectors.Dispose();

    [System.Text.Json.Serialization.JsonSerializable(typeof(Manifest))]
    private sealed partial class SearchJson : System.Text.Json.Serialization.JsonSerializerContext;
}
