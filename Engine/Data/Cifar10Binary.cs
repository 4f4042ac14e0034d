using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// Reads CIFAR-10's official binary release: files of 10,000 records, each 1 label byte followed by
/// 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, row-major 32×32).
/// </summary>
public static class Cifar10Binary
{
    public const string FolderName = "cifar-10-batches-bin";
    public const int RecordSize = 1 + 3 * 32 * 32;
    public static readonly string[] TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public const string TestFile = "test_batch.bin";
    public static readonly string[] ClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The folder holding the batch files: <paramref name="dataDir"/> itself or its cifar-10-batches-bin, if either has them all.</summary>
    public static string? FindBatchFolder(string dataDir)
    {
        foreach (var candidate in new[] { Path.Combine(dataDir, FolderName), dataDir })
        {
            if (TrainFiles.Append(TestFile).All(f => File.Exists(Path.Combine(candidate, f)))) return candidate;
        }
        return null;
    }

    public static DatasetSplits Load(string batchFolder) => new(
        Read(TrainFiles.Select(f => Path.Combine(batchFolder, f)).ToArray(), "CIFAR-10 train (binary)"),
        Read([Path.Combine(batchFolder, TestFile)], "CIFAR-10 test (binary)"));

    public static ImageDataset Read(IReadOnlyList<string> files, string source)
    {
        var records = new List<(byte[] Bytes, int Count)>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
                throw new DataFormatException(file, $"size {bytes.Length} bytes is not a whole number of {RecordSize}-byte CIFAR-10 records (truncated or not a CIFAR-10 batch file).");
            int count = bytes.Length / RecordSize;
            for (int i = 0; i < count; i++)
            {
                byte label = bytes[i * RecordSize];
                if (label > 9) throw new DataFormatException(file, $"record {i} has label {label}; CIFAR-10 labels are 0–9.");
            }
            records.Add((bytes, count));
        }

        int total = records.Sum(r => r.Count);
        var pixels = new byte[(long)total * 3072];
        var labels = new long[total];
        int n = 0;
        foreach (var (bytes, count) in records)
        {
            for (int i = 0; i < count; i++, n++)
            {
                labels[n] = bytes[i * RecordSize];
                Buffer.BlockCopy(bytes, i * RecordSize + 1, pixels, n * 3072, 3072);
            }
        }
        var images = tensor(pixels, [total, 3, 32, 32], ScalarType.Byte);
        return new ImageDataset(images, labels, ClassNames, source);
    }

    /// <summary>Writes records in the official layout (used to produce test fixtures and exports).</summary>
    public static void Write(string file, ReadOnlySpan<byte> chwPixels, ReadOnlySpan<byte> labels)
    {
        using var stream = File.Create(file);
        for (int i = 0; i < labels.Length; i++)
        {
            stream.WriteByte(labels[i]);
            stream.Write(chwPixels.Slice(i * 3072, 3072));
        }
    }
}
