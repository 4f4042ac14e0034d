using System.Buffers.Binary;
using AspireSimClr.Engine.Data;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Search;

/// <summary>
/// Small copies of an index's images, in the order of its entries (train, then test), so a search result can be shown
/// without loading the dataset again. One file: a 16-byte header (magic, count, side) then uint8 RGB CHW pixels.
/// </summary>
public static class IndexThumbnails
{
    public const string FileName = "thumbnails.u8";
    /// <summary>The largest side stored: 60,000 CIFAR-10 images take 184 MB at 32 px; 64 px is enough to recognise an image.</summary>
    public const int MaxSide = 64;
    private static readonly byte[] Magic = "THUMBS1\n"u8.ToArray();
    private const int HeaderBytes = 16;
    private const int Chunk = 1024;

    public static int SideFor(int imageSide) => Math.Min(imageSide, MaxSide);

    /// <summary>Writes the thumbnails of every image of <paramref name="data"/> through a temporary file renamed into place.</summary>
    public static void Write(DatasetSplits data, string folder, CancellationToken cancellationToken = default)
    {
        var splits = data.Test is { } test ? new[] { data.Train, test } : [data.Train];
        int side = SideFor(Math.Max(data.Train.Height, data.Train.Width));
        Runtime.AtomicFile.Write(Path.Combine(folder, FileName), stream =>
        {
            var header = new byte[HeaderBytes];
            Magic.CopyTo(header, 0);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), splits.Sum(s => s.Count));
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), side);
            stream.Write(header);
            foreach (var split in splits)
                for (int start = 0; start < split.Count; start += Chunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var images = split.Images.narrow(0, start, Math.Min(Chunk, split.Count - start));
                    if (split.Height != side || split.Width != side)
                        images = nn.functional.interpolate(images.to(ScalarType.Float32), [side, side], mode: InterpolationMode.Area)
                            .round().clamp(0, 255).to(ScalarType.Byte);
                    stream.Write(images.contiguous().bytes);
                }
        });
    }

    /// <summary>Entry <paramref name="entry"/>'s thumbnail as PNG bytes; null when the folder has no thumbnails or no such entry.</summary>
    public static byte[]? ReadPng(string folder, int entry)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var header = new byte[HeaderBytes];
        if (stream.Read(header) != HeaderBytes || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        int side = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        long bytes = 3L * side * side;
        if (entry < 0 || entry >= count || stream.Length != HeaderBytes + count * bytes) return null;
        var pixels = new byte[bytes];
        stream.Position = HeaderBytes + entry * bytes;
        stream.ReadExactly(pixels);
        return PngImage.Encode(pixels, side, side);
    }
}
