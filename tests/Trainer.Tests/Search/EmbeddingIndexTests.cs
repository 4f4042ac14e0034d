using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Search;
using AspireSimClr.Trainer.Tests.Export;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Search;

public class EmbeddingIndexTests
{
    [Fact]
    public async Task AnIndexOfRealImagesFindsEachImageFirstAndExactCopiesAsNearDuplicatesAndSurvivesSaving()
    {
        using var temp = new TempDirectory();
        var checkpoint = await OnnxExportTests.TrainAsync(temp.Combine("run"), ModelNames.CompactCnn, PrecisionNames.Fp32, channelsLast: false);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        var config = new TrainingConfig { Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false, TrainSubset = 300, TestSubset = 100 };
        using var loaded = await new DatasetLoader().LoadAsync(config);
        // The test split's first 12 images are replaced by copies of train images 0, 5, 10, …: 12 planted duplicates.
        using var testImages = loaded.Test!.Images.clone();
        for (int i = 0; i < 12; i++) testImages[i].copy_(loaded.Train.Images[5 * i]);
        using var test = new ImageDataset(testImages.alias(), loaded.Test.Labels, loaded.Test.ClassNames, "test with copies");
        var data = new DatasetSplits(loaded.Train, test);

        using var index = EmbeddingIndex.Build(trained.Network.Encoder, data, trained.Normalization, 32, CPU);
        Assert.Equal(400, index.Count);
        Assert.Equal(256, index.Dimensions);
        Assert.Equal(new IndexedImage("test", 3, loaded.Test.Labels![3]), index.Images[303]);
        using (var norms = index.Vectors.norm(1)) Assert.True(norms.sub(1).abs().max().item<float>() < 1e-5);

        var vector = HostArrays.ToArray<float>(index.Vectors[42]);
        var hits = index.Search(vector, 5);
        Assert.Equal(42, hits[0].Index);
        Assert.Equal(1f, hits[0].Score, 4);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best first");
        Assert.DoesNotContain(index.Search(vector, 5, exclude: 42), h => h.Index == 42);

        var pairs = index.NearDuplicates(0.9999, limit: 100);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (5 * i, 300 + i)).Order(), pairs.Select(p => (p.First, p.Second)).Order());
        Assert.Equal(5, index.NearDuplicates(0.9999, limit: 5).Count);

        double precision = index.PrecisionAtK(10)!.Value;
        Assert.InRange(precision, 0.1, 1);

        index.Save(temp.Combine("index"));
        using var again = EmbeddingIndex.Load(temp.Combine("index"))!;
        Assert.True(Tensors.Identical(index.Vectors, again.Vectors));
        Assert.Equal(index.Images, again.Images);
        Assert.Equal(index.ClassNames, again.ClassNames);
        Assert.Empty(Directory.GetFiles(temp.Combine("index"), "*.tmp"));
    }

    [Fact]
    public async Task AnImageFilesQueryFindsThatImageFirst()
    {
        using var temp = new TempDirectory();
        var checkpoint = await OnnxExportTests.TrainAsync(temp.Combine("run"), ModelNames.CompactCnn, PrecisionNames.Fp32, channelsLast: false);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        var files = Directory.GetFiles(Path.Combine(SharedCifar10.Root, "test", "cat"), "*.jpg").Order(StringComparer.Ordinal).Take(20).ToList();
        var folder = Directory.CreateDirectory(temp.Combine("photos", "train", "cat")).FullName;
        foreach (var file in files) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var config = trained.Config with { Dataset = DatasetNames.ImageFolder, DataDir = temp.Combine("photos"), CacheDir = temp.Combine("cache"), TrainSubset = null, TestSubset = null };
        using var data = await new DatasetLoader().LoadAsync(config);
        using var index = EmbeddingIndex.Build(trained.Network.Encoder, data, trained.Normalization, 32, CPU);

        for (int i = 0; i < files.Count; i += 7)
        {
            var hit = index.Search(ImageQuery.Embed(trained, File.ReadAllBytes(files[i])), 1)[0];
            Assert.Equal(i, hit.Index);
            Assert.Equal(1f, hit.Score, 4);
        }
        Assert.Throws<InvalidDataException>(() => ImageQuery.Embed(trained, [1, 2, 3]));
    }

    [Fact]
    public void PrecisionAtKCountsTheQueriesNeighboursOfTheirOwnClass()
    {
        // Train: class 0 at angles 0° and 10°, class 1 at 90° and 100°. Test queries: 5° (class 0) and 50° (class 1):
        // 5°'s two nearest are both class 0 (2 of 2); 50°'s are 90° and 10° (1 of 2). Precision@2 = 3 / 4.
        float[] At(double degrees) => [(float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180)];
        double[] angles = [0, 10, 90, 100, 5, 50];
        using var vectors = tensor(angles.SelectMany(At).ToArray(), [6, 2]);
        IndexedImage[] images =
        [
            new("train", 0, 0), new("train", 1, 0), new("train", 2, 1), new("train", 3, 1), new("test", 0, 0), new("test", 1, 1),
        ];
        using var index = new EmbeddingIndex(vectors.alias(), images, ["a", "b"]);
        Assert.Equal(0.75, index.PrecisionAtK(2)!.Value, 6);

        // Without a test split each train image queries the others: 0°→10°,90° (1/2); 10°→0°,90° (1/2); 90°→100°,10° (1/2); 100°→90°,10° (1/2).
        using var trainOnly = new EmbeddingIndex(vectors.narrow(0, 0, 4), images[..4], ["a", "b"]);
        Assert.Equal(0.5, trainOnly.PrecisionAtK(2)!.Value, 6);
        using var unlabelled = new EmbeddingIndex(vectors.narrow(0, 0, 4), [.. images[..4].Select(i => i with { Label = -1 })], []);
        Assert.Null(unlabelled.PrecisionAtK(2));
    }
}
