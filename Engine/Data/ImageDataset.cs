using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// Images held in memory as one uint8 tensor [N, 3, H, W] on the CPU, with optional labels.
/// Unlabelled datasets (a folder of loose images) have <see cref="Labels"/> null.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    public ImageDataset(Tensor images, long[]? labels, IReadOnlyList<string> classNames, string source)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"images must be uint8 [N, 3, H, W], got {images.dtype} [{string.Join(", ", images.shape)}]");
        if (labels is not null && labels.Length != images.shape[0])
            throw new ArgumentException($"{labels.Length} labels for {images.shape[0]} images");
        Images = images;
        Labels = labels;
        ClassNames = classNames;
        Source = source;
    }

    public Tensor Images { get; }
    public long[]? Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public string Source { get; }
    public int Count => (int)Images.shape[0];
    public int Height => (int)Images.shape[2];
    public int Width => (int)Images.shape[3];
    public bool IsLabelled => Labels is not null;

    /// <summary>A seeded random subset of <paramref name="count"/> images (the whole set when it is not smaller).</summary>
    public ImageDataset Subset(int count, long seed)
    {
        if (count >= Count) return this;
        var random = new Random(unchecked((int)seed));
        var indices = Enumerable.Range(0, Count).ToArray();
        random.Shuffle(indices);
        Array.Sort(indices, 0, count);
        var chosen = indices.AsSpan(0, count).ToArray();
        using var index = tensor(chosen.Select(i => (long)i).ToArray());
        var images = Images.index_select(0, index);
        var labels = Labels is null ? null : chosen.Select(i => Labels[i]).ToArray();
        return new ImageDataset(images, labels, ClassNames, $"{Source} (random subset of {count} of {Count})");
    }

    public void Dispose() => Images.Dispose();
}

/// <summary>A dataset's train split and, when it has one, its labelled test split.</summary>
public sealed record DatasetSplits(ImageDataset Train, ImageDataset? Test) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Test?.Dispose();
    }
}
