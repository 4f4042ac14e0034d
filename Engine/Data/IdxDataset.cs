using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>Reads MNIST-style IDX files (gzipped or not), e.g. Fashion-MNIST; grey images become 3 equal channels.</summary>
public static class IdxDataset
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";
    public static readonly string[] FashionMnistClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static DatasetSplits LoadFashionMnist(string folder) => new(
        Load(Find(folder, "train-images-idx3-ubyte"), Find(folder, "train-labels-idx1-ubyte"), FashionMnistClasses, "Fashion-MNIST train"),
        Load(Find(folder, "t10k-images-idx3-ubyte"), Find(folder, "t10k-labels-idx1-ubyte"), FashionMnistClasses, "Fashion-MNIST test"));

    public static bool HasFashionMnist(string folder) =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(name => TryFind(folder, name) is not null);

    public static ImageDataset Load(string imagesFile, string labelsFile, IReadOnlyList<string> classNames, string source)
    {
        var images = ReadAll(imagesFile);
        var labelBytes = ReadAll(labelsFile);
        var (imageDims, imageData) = Parse(imagesFile, images, expectedMagic: 0x00000803, expectedRank: 3);
        var (labelDims, labelData) = Parse(labelsFile, labelBytes, expectedMagic: 0x00000801, expectedRank: 1);
        if (imageDims[0] != labelDims[0])
            throw new DataFormatException(labelsFile, $"has {labelDims[0]} labels but {imagesFile} has {imageDims[0]} images.");
        var labels = new long[labelDims[0]];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labelData.Span[i] >= classNames.Count) throw new DataFormatException(labelsFile, $"label {labelData.Span[i]} at {i} is outside 0–{classNames.Count - 1}.");
            labels[i] = labelData.Span[i];
        }
        using var grey = tensor(imageData.ToArray(), [imageDims[0], 1, imageDims[1], imageDims[2]], ScalarType.Byte);
        using var rgb = grey.expand(-1, 3, -1, -1);
        return new ImageDataset(rgb.contiguous(), labels, classNames, source);
    }

    private static (int[] Dims, ReadOnlyMemory<byte> Data) Parse(string file, byte[] bytes, int expectedMagic, int expectedRank)
    {
        if (bytes.Length < 4 + 4 * expectedRank) throw new DataFormatException(file, "is too short to be an IDX file.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw new DataFormatException(file, $"magic number 0x{magic:X8} is not 0x{expectedMagic:X8} (IDX uint8, rank {expectedRank}).");
        var dims = Enumerable.Range(0, expectedRank).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i))).ToArray();
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        int header = 4 + 4 * expectedRank;
        if (bytes.Length - header != expected)
            throw new DataFormatException(file, $"has {bytes.Length - header} data bytes but its header [{string.Join("×", dims)}] needs {expected} (truncated?).");
        return (dims, bytes.AsMemory(header));
    }

    private static byte[] ReadAll(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var memory = new MemoryStream();
            if (file.EndsWith(".gz", StringComparison.Ordinal))
            {
                using var gzip = new GZipStream(stream, CompressionMode.Decompress);
                gzip.CopyTo(memory);
            }
            else stream.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException(file, "is not a valid gzip file (truncated or corrupt).", ex);
        }
    }

    private static string? TryFind(string folder, string name) =>
        new[] { name, name + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static string Find(string folder, string name) =>
        TryFind(folder, name) ?? throw new DataNotFoundException($"{Path.Combine(folder, name)}[.gz] not found.");
}
