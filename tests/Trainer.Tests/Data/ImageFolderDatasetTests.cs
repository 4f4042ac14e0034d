using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Tests.Support;
using SkiaSharp;

namespace AspireSimClr.Trainer.Tests.Data;

public class ImageFolderDatasetTests
{
    private static void WriteImage(string path, SKColor color, int width = 40, int height = 20)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var data = bitmap.Encode(path.EndsWith(".png") ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void CancelWhileReadingACachedImageFolderStopsTheLoad()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 4; i++) WriteImage(temp.Combine("train", "a", $"{i}.png"), SKColors.Red, 8, 8);
        var cache = temp.Combine("cache");
        using (var first = ImageFolderDataset.Load(temp.Combine("train"), 8, cache)) { }
        Assert.Single(Directory.GetFiles(cache, "*.bin"));

        // Listing, fingerprinting and reading the cache of a large folder take seconds: a stop is honoured there too.
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ImageFolderDataset.Load(temp.Combine("train"), 8, cache, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task LabelsComeFromSortedClassFoldersAndImagesAreResized()
    {
        using var temp = new TempDirectory();
        WriteImage(temp.Combine("train", "zebra", "a.png"), SKColors.Red);
        WriteImage(temp.Combine("train", "apple", "b.png"), SKColors.Blue);
        WriteImage(temp.Combine("train", "apple", "c.jpg"), SKColors.Blue);
        WriteImage(temp.Combine("test", "apple", "d.png"), SKColors.Blue);
        WriteImage(temp.Combine("test", "zebra", "e.png"), SKColors.Red);

        using var splits = await new DatasetLoader().LoadAsync(new TrainingConfig { Dataset = DatasetNames.ImageFolder, DataDir = temp.Path, ImageSize = 16 });
        Assert.Equal(["apple", "zebra"], splits.Train.ClassNames);
        Assert.Equal(new long[] { 0, 0, 1 }, splits.Train.Labels!);
        Assert.Equal(new long[] { 3, 3, 16, 16 }, splits.Train.Images.shape);
        Assert.Equal((byte)255, splits.Train.Images[2, 0, 8, 8].item<byte>());
        Assert.Equal((byte)0, splits.Train.Images[2, 2, 8, 8].item<byte>());
        Assert.Equal(new long[] { 0, 1 }, splits.Test!.Labels!);
    }

    [Fact]
    public async Task LooseImagesTrainUnlabelledWithoutATestSplit()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 4; i++) WriteImage(temp.Combine($"photo{i}.png"), SKColors.Green);
        using var splits = await new DatasetLoader().LoadAsync(new TrainingConfig { Dataset = DatasetNames.ImageFolder, DataDir = temp.Path, ImageSize = 8 });
        Assert.False(splits.Train.IsLabelled);
        Assert.Equal(4, splits.Train.Count);
        Assert.Null(splits.Test);
    }

    [Fact]
    public void SecondLoadComesFromTheCacheAndAChangedFileInvalidatesIt()
    {
        using var temp = new TempDirectory();
        WriteImage(temp.Combine("train", "a", "1.png"), SKColors.Red);
        WriteImage(temp.Combine("train", "b", "2.png"), SKColors.Blue);
        var cache = temp.Combine("cache");
        using (var first = ImageFolderDataset.Load(temp.Combine("train"), 8, cache)) Assert.DoesNotContain("cached", first.Source);
        using (var second = ImageFolderDataset.Load(temp.Combine("train"), 8, cache))
        {
            Assert.Contains("cached", second.Source);
            Assert.Equal((byte)255, second.Images[0, 0, 4, 4].item<byte>());
        }

        WriteImage(temp.Combine("train", "a", "1.png"), SKColors.White);
        File.SetLastWriteTimeUtc(temp.Combine("train", "a", "1.png"), DateTime.UtcNow.AddMinutes(1));
        using (var third = ImageFolderDataset.Load(temp.Combine("train"), 8, cache))
        {
            Assert.DoesNotContain("cached", third.Source);
            Assert.Equal((byte)255, third.Images[0, 2, 4, 4].item<byte>());
        }
        Assert.Single(Directory.GetFiles(cache, "*.bin"));
    }

    [Fact]
    public void CachedPixelsAreMemoryMappedFromTheCacheFile()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 3; i++) WriteImage(temp.Combine("train", "a", $"{i}.png"), new SKColor((byte)(100 + i), 0, 0), 8, 8);
        var cache = temp.Combine("cache");
        using var first = ImageFolderDataset.Load(temp.Combine("train"), 8, cache);
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "*.bin"));

        // Both the freshly written and the re-read dataset are views of the mapped file, not copies in the process.
        Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.EndsWith(cacheFile, StringComparison.Ordinal));
        using var second = ImageFolderDataset.Load(temp.Combine("train"), 8, cache);
        Assert.Contains("cached", second.Source);
        Assert.Equal(new byte[] { 100, 101, 102 }, Enumerable.Range(0, 3).Select(i => second.Images[i, 0, 4, 4].item<byte>()).ToArray());

        // Writing into the tensor (nothing does today) stays private to the process: the file keeps its pixels.
        second.Images[0, 0, 4, 4] = TorchSharp.torch.tensor((byte)7);
        using var third = ImageFolderDataset.Load(temp.Combine("train"), 8, cache);
        Assert.Equal((byte)100, third.Images[0, 0, 4, 4].item<byte>());
    }

    [Fact]
    public void ACacheFolderThatCannotBeCreatedDecodesIntoMemory()
    {
        using var temp = new TempDirectory();
        WriteImage(temp.Combine("train", "a", "1.png"), SKColors.Red, 8, 8);
        File.WriteAllText(temp.Combine("not-a-folder"), "a file where the cache folder would be");
        using var dataset = ImageFolderDataset.Load(temp.Combine("train"), 8, temp.Combine("not-a-folder", "cache"));
        Assert.Contains("in memory", dataset.Source);
        Assert.Equal((byte)255, dataset.Images[0, 0, 4, 4].item<byte>());
    }

    [Fact]
    public void ATruncatedCacheFileIsDecodedAgainAndAKilledWritersTemporaryFileIsRemoved()
    {
        using var temp = new TempDirectory();
        WriteImage(temp.Combine("train", "a", "1.png"), SKColors.Red, 8, 8);
        WriteImage(temp.Combine("train", "b", "2.png"), SKColors.Blue, 8, 8);
        var cache = temp.Combine("cache");
        using (ImageFolderDataset.Load(temp.Combine("train"), 8, cache)) { }
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "*.bin"));
        using (var stream = File.OpenWrite(cacheFile)) stream.SetLength(stream.Length - 10);
        var abandoned = cacheFile + $".{UnusedProcessId()}.tmp";
        File.WriteAllText(abandoned, "half a cache file from a process killed while decoding");

        using var reloaded = ImageFolderDataset.Load(temp.Combine("train"), 8, cache);
        Assert.DoesNotContain("cached", reloaded.Source);
        Assert.Equal(new long[] { 0, 1 }, reloaded.Labels!);
        Assert.Equal((byte)255, reloaded.Images[1, 2, 4, 4].item<byte>());
        Assert.False(File.Exists(abandoned));
        Assert.Equal(64L + 2 * 8 + 2 * 3 * 8 * 8, new FileInfo(cacheFile).Length);
    }

    private static int UnusedProcessId()
    {
        for (int pid = 4_000_000; ; pid--)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
    }

    [Fact]
    public void UnreadableImageNamesTheFile()
    {
        using var temp = new TempDirectory();
        WriteImage(temp.Combine("train", "a", "good.png"), SKColors.Red);
        var bad = temp.Combine("train", "a", "bad.jpg");
        File.WriteAllText(bad, "this is not a JPEG");
        var error = Assert.Throws<DataFormatException>(() => ImageFolderDataset.Load(temp.Combine("train"), 8, temp.Combine("cache")));
        Assert.Equal(bad, error.FilePath);
        Assert.Contains("cannot be decoded", error.Message);
    }

    [Fact]
    public void EmptyFolderIsReported()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("train"));
        var error = Assert.Throws<DataFormatException>(() => ImageFolderDataset.Load(temp.Combine("train"), 8, temp.Combine("cache")));
        Assert.Contains("contains no images", error.Message);
    }

    [Fact]
    public void EmptyClassFolderIsReported()
    {
        using var temp = new TempDirectory();
        WriteImage(temp.Combine("train", "a", "1.png"), SKColors.Red);
        Directory.CreateDirectory(temp.Combine("train", "b"));
        var error = Assert.Throws<DataFormatException>(() => ImageFolderDataset.Load(temp.Combine("train"), 8, temp.Combine("cache")));
        Assert.Contains("class folder 'b' contains no images", error.Message);
    }
}
