using SkiaSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// Reads an image folder: <c>split/&lt;class&gt;/*.jpg|png</c> (labels from the sorted class folder
/// names) or <c>split/*.jpg|png</c> (unlabelled). Images are decoded with SkiaSharp, resized on their
/// shorter side and centre-cropped to a square, and written as they are decoded to a cache file that
/// training then memory-maps (see <see cref="ImageFolderCache"/>).
/// </summary>
public static class ImageFolderDataset
{
    public static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"];

    public static ImageDataset Load(string splitDir, int imageSize, string cacheDir, IReadOnlyList<string>? expectedClasses = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(splitDir)) throw new DataNotFoundException($"Image folder {splitDir} does not exist.");
        var listing = List(splitDir, cancellationToken);
        if (expectedClasses is not null && listing.ClassNames.Count > 0 && !listing.ClassNames.SequenceEqual(expectedClasses))
            throw new DataFormatException(splitDir, $"class folders [{string.Join(", ", listing.ClassNames)}] are not the expected [{string.Join(", ", expectedClasses)}].");

        var cache = new ImageFolderCache(cacheDir, splitDir, imageSize, listing.Files.Select(f => f.Path).ToList(), cancellationToken);
        if (cache.TryRead() is { } cached)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cached.Images.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
            return new ImageDataset(cached.Images, cached.Labels, listing.ClassNames, $"{splitDir} ({cached.Labels?.Length ?? cached.Images.shape[0]} images, cached)");
        }

        var labels = listing.ClassNames.Count > 0 ? listing.Files.Select(f => (long)f.Label).ToArray() : null;
        using (var writer = cache.TryCreateWriter(listing.Files.Count, labels))
        {
            if (writer is not null)
            {
                try
                {
                    DecodeInChunks(listing, imageSize, (chunk, _) => writer.Append(chunk), cancellationToken);
                    writer.Commit();
                    if (cache.TryRead() is { } written)
                        return new ImageDataset(written.Images, labels, listing.ClassNames, $"{splitDir} ({listing.Files.Count} images, decoded into the cache)");
                }
                catch (IOException)
                {
                    // The disk filled up while writing the cache: decode again, into memory.
                }
            }
        }

        var images = empty([listing.Files.Count, 3, imageSize, imageSize], ScalarType.Byte);
        try
        {
            DecodeInChunks(listing, imageSize, (chunk, first) =>
            {
                long n = chunk.Length / (3L * imageSize * imageSize);
                using var decoded = tensor(chunk.ToArray(), [n, 3, imageSize, imageSize], ScalarType.Byte);
                using var target = images.narrow(0, first, n);
                target.copy_(decoded);
            }, cancellationToken);
        }
        catch
        {
            images.Dispose();
            throw;
        }
        return new ImageDataset(images, labels, listing.ClassNames, $"{splitDir} ({listing.Files.Count} images, in memory: the cache could not be written)");
    }

    /// <summary>
    /// Decodes the images in order, a chunk of at most 64 MiB of pixels at a time (decoded in parallel),
    /// handing each chunk and the index of its first image to <paramref name="consume"/>.
    /// </summary>
    private static void DecodeInChunks(Listing listing, int imageSize, Action<ReadOnlySpan<byte>, long> consume, CancellationToken cancellationToken)
    {
        int imageBytes = 3 * imageSize * imageSize;
        int chunkImages = Math.Clamp((64 << 20) / imageBytes, 1, listing.Files.Count);
        var buffer = new byte[(long)chunkImages * imageBytes];
        for (int first = 0; first < listing.Files.Count; first += chunkImages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(chunkImages, listing.Files.Count - first);
            try
            {
                Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken },
                    i => DecodeInto(listing.Files[first + i].Path, imageSize, buffer.AsSpan(i * imageBytes, imageBytes)));
            }
            catch (AggregateException ex) when (ex.InnerExceptions.OfType<DataFormatException>().FirstOrDefault() is { } format)
            {
                throw format;
            }
            consume(buffer.AsSpan(0, count * imageBytes), first);
        }
    }

    public sealed record Listing(IReadOnlyList<string> ClassNames, IReadOnlyList<(string Path, int Label)> Files);

    /// <summary>The split's images and labels, refusing what a run cannot train on (the same listing <see cref="FolderCensus"/> reports without refusing).</summary>
    public static Listing List(string splitDir, CancellationToken cancellationToken = default)
    {
        var census = FolderCensus.Take(splitDir, cancellationToken);
        if (census.Classes.Count > 0 && census.LooseImages.Count > 0)
            throw new DataFormatException(splitDir, $"has both class folders and {census.LooseImages.Count} loose images; use one layout: <split>/<class>/*.jpg (labelled) or <split>/*.jpg (unlabelled).");
        if (census.Classes.Count == 0)
        {
            if (census.LooseImages.Count == 0)
                throw new DataFormatException(splitDir, $"contains no images ({string.Join(", ", ImageExtensions)}) and no class folders.");
            return new Listing([], census.LooseImages.Select(p => (p, -1)).ToList());
        }
        if (census.Classes.FirstOrDefault(c => c.Images.Count == 0) is { } empty)
            throw new DataFormatException(Path.Combine(splitDir, empty.Name), $"class folder '{empty.Name}' contains no images.");
        return new Listing(census.Classes.Select(c => c.Name).ToList(), census.Classes.SelectMany((c, label) => c.Images.Select(p => (p, label))).ToList());
    }

    /// <summary>Decodes one image into CHW uint8 pixels of size × size (shorter side resized, centre crop).</summary>
    public static void DecodeInto(string path, int size, Span<byte> chw)
    {
        using var decoded = SKBitmap.Decode(path)
            ?? throw new DataFormatException(path, "cannot be decoded as an image (corrupt or unsupported format).");
        if (!Imaging.ImagePixels.TryResizeInto(decoded, size, chw)) throw new DataFormatException(path, "could not be resized.");
    }
}
