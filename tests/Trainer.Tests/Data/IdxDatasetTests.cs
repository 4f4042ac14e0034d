using System.Buffers.Binary;
using System.IO.Compression;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Data;

public class IdxDatasetTests
{
    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static void WriteGz(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }

    private static void WriteFashionMnist(string folder, int train = 6, int test = 4)
    {
        Directory.CreateDirectory(folder);
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            var pixels = Enumerable.Range(0, count * 28 * 28).Select(i => (byte)(i % 251)).ToArray();
            WriteGz(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), Idx(0x803, [count, 28, 28], pixels));
            File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), Idx(0x801, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray()));
        }
    }

    [Fact]
    public async Task ReadsGzippedAndPlainIdxFilesAsThreeChannelImages()
    {
        using var temp = new TempDirectory();
        WriteFashionMnist(temp.Path);
        using var splits = await new DatasetLoader().LoadAsync(new TrainingConfig { Dataset = DatasetNames.FashionMnist, DataDir = temp.Path, ImageSize = 28 });
        Assert.Equal(new long[] { 6, 3, 28, 28 }, splits.Train.Images.shape);
        Assert.Equal(4, splits.Test!.Count);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, splits.Train.Labels!);
        Assert.Equal((byte)((28 * 28 + 5) % 251), splits.Train.Images[1, 2, 0, 5].item<byte>());
        Assert.True(Tensors.Identical(splits.Train.Images[.., 0], splits.Train.Images[.., 2]));
    }

    [Fact]
    public async Task ImagesAreResizedToTheConfiguredSize()
    {
        using var temp = new TempDirectory();
        WriteFashionMnist(temp.Path);
        using var splits = await new DatasetLoader().LoadAsync(new TrainingConfig { Dataset = DatasetNames.FashionMnist, DataDir = temp.Path, ImageSize = 32 });
        Assert.Equal(new long[] { 6, 3, 32, 32 }, splits.Train.Images.shape);
    }

    [Fact]
    public void WrongMagicNumberNamesTheFile()
    {
        using var temp = new TempDirectory();
        WriteFashionMnist(temp.Path);
        var labels = Path.Combine(temp.Path, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, Idx(0x803, [6], new byte[6]));
        var error = Assert.Throws<DataFormatException>(() => IdxDataset.LoadFashionMnist(temp.Path));
        Assert.Equal(labels, error.FilePath);
        Assert.Contains("magic number", error.Message);
    }

    [Fact]
    public void TruncatedImagesNameTheFile()
    {
        using var temp = new TempDirectory();
        WriteFashionMnist(temp.Path);
        var images = Path.Combine(temp.Path, "t10k-images-idx3-ubyte.gz");
        WriteGz(images, Idx(0x803, [4, 28, 28], new byte[100]));
        var error = Assert.Throws<DataFormatException>(() => IdxDataset.LoadFashionMnist(temp.Path));
        Assert.Equal(images, error.FilePath);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task MissingFilesSayWhatIsNeeded()
    {
        using var temp = new TempDirectory();
        var error = await Assert.ThrowsAsync<DataNotFoundException>(() => new DatasetLoader().LoadAsync(new TrainingConfig { Dataset = DatasetNames.FashionMnist, DataDir = temp.Path }));
        Assert.Contains("train-images-idx3-ubyte", error.Message);
        Assert.Contains("dataset-fashion-mnist", error.Message);
    }
}
