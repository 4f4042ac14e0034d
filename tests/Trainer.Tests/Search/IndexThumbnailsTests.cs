using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Search;
using AspireSimClr.Trainer.Tests.Support;
using SkiaSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Search;

public class IndexThumbnailsTests
{
    [Fact]
    public async Task EachEntrysThumbnailIsItsImageInIndexOrderTrainThenTest()
    {
        using var temp = new TempDirectory();
        var config = new TrainingConfig { Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false, TrainSubset = 30, TestSubset = 10 };
        using var data = await new DatasetLoader().LoadAsync(config);

        IndexThumbnails.Write(data, temp.Path);

        foreach (var (entry, expected) in new[] { (0, data.Train.Images[0]), (29, data.Train.Images[29]), (30, data.Test!.Images[0]), (39, data.Test.Images[9]) })
            Assert.Equal(Bytes(expected), Pixels(IndexThumbnails.ReadPng(temp.Path, entry)!, 32));
        Assert.Null(IndexThumbnails.ReadPng(temp.Path, 40));
        Assert.Null(IndexThumbnails.ReadPng(temp.Path, -1));
        Assert.Null(IndexThumbnails.ReadPng(temp.Combine("elsewhere"), 0));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void ImagesLargerThanTheThumbnailSideAreAveragedDownToIt()
    {
        using var temp = new TempDirectory();
        // 128 px images of 2 × 2 blocks: at 64 px each output pixel is the mean of one block.
        using var images = randint(0, 256, [3, 3, 64, 64], dtype: ScalarType.Byte).repeat_interleave(2, 2).repeat_interleave(2, 3);
        using var train = new ImageDataset(images.alias(), null, [], "blocks");
        IndexThumbnails.Write(new DatasetSplits(train, null), temp.Path);

        using var expected = images[2].to(ScalarType.Float32).unsqueeze(0);
        using var pooled = nn.functional.avg_pool2d(expected, 2).round().to(ScalarType.Byte).squeeze(0);
        Assert.Equal(Bytes(pooled), Pixels(IndexThumbnails.ReadPng(temp.Path, 2)!, IndexThumbnails.MaxSide));
    }

    private static byte[] Bytes(Tensor chw) => chw.contiguous().bytes.ToArray();

    /// <summary>The PNG's pixels as CHW RGB bytes, after checking its size.</summary>
    private static byte[] Pixels(byte[] png, int side)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((side, side), (bitmap.Width, bitmap.Height));
        var chw = new byte[3 * side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                var color = bitmap.GetPixel(x, y);
                int i = y * side + x;
                (chw[i], chw[side * side + i], chw[2 * side * side + i]) = (color.Red, color.Green, color.Blue);
            }
        return chw;
    }
}
