using AspireSimClr.Engine;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Evaluation;

public class EmbeddingMapTests
{
    /// <summary>Three tight clusters of 20 points around orthogonal directions in 16 dimensions.</summary>
    private static Tensor ThreeClusters()
    {
        using var generator = new Generator(0);
        generator.manual_seed(3);
        var centres = eye(16).narrow(0, 0, 3) * 5;
        return cat(Enumerable.Range(0, 3).Select(c => centres[c].unsqueeze(0) + randn([20, 16], generator: generator) * 0.05).ToArray());
    }

    private static int Cluster(int index) => index / 20;

    [Fact]
    public void ClustersStaySeparateOnTheMapAndNeighboursComeFromTheirOwnCluster()
    {
        using var features = ThreeClusters();
        var map = EmbeddingProjection.Project(4, features);

        Assert.Equal(4, map.Epoch);
        Assert.Equal(60, map.X.Count);
        Assert.True(map.ExplainedVariance[0] >= map.ExplainedVariance[1] && map.ExplainedVariance.Sum() > 0.95, string.Join(", ", map.ExplainedVariance));
        var centres = Enumerable.Range(0, 3).Select(c => (X: Enumerable.Range(c * 20, 20).Average(i => map.X[i]), Y: Enumerable.Range(c * 20, 20).Average(i => map.Y[i]))).ToList();
        double spread = Enumerable.Range(0, 60).Max(i => Math.Sqrt(Math.Pow(map.X[i] - centres[Cluster(i)].X, 2) + Math.Pow(map.Y[i] - centres[Cluster(i)].Y, 2)));
        double gap = centres.SelectMany((a, i) => centres.Skip(i + 1).Select(b => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).Min();
        Assert.True(gap > 10 * spread, $"clusters {gap:F3} apart, {spread:F3} wide");

        for (int i = 0; i < 60; i++)
        {
            Assert.Equal(EmbeddingProjection.Neighbours, map.Neighbours[i].Count);
            Assert.DoesNotContain(i, map.Neighbours[i]);
            Assert.All(map.Neighbours[i], j => Assert.Equal(Cluster(i), Cluster(j)));
            Assert.Equal(map.Similarities[i].OrderByDescending(s => s), map.Similarities[i]);
            Assert.True(map.Similarities[i][0] > 0.99);
        }
    }

    [Fact]
    public void AxesKeepTheSignsOfThePreviousEpochsMap()
    {
        using var features = ThreeClusters();
        var first = EmbeddingProjection.Project(1, features);
        var mirrored = first with { X = first.X.Select(v => -v).ToList() };
        var next = EmbeddingProjection.Project(2, features, previous: mirrored);
        Assert.Equal(mirrored.X, next.X);
        Assert.Equal(first.Y, next.Y);
    }

    [Fact]
    public void TheSampleAtlasGivesBackTheExactImagesAndMapsAreListedAndRemovedByEpoch()
    {
        using var temp = new TempDirectory();
        var store = new EmbeddingMapStore(temp.Path);
        using var generator = new Generator(0);
        using var images = randint(0, 256, [7, 3, 5, 5], dtype: ScalarType.Byte, generator: generator);
        var sample = new EmbeddingSample(7, 5, 3, ["a", "b"], [0, 1, 0, 1, 0, 1, 1], "test");
        store.SaveSample(sample, images.data<byte>().ToArray());

        using var read = store.ReadSampleImages(store.ReadSample()!);
        Assert.True(Tensors.Identical(images, read.Images));
        Assert.Equal([0L, 1, 0, 1, 0, 1, 1], read.Labels!);

        foreach (var epoch in new[] { 3, 1, 2 }) store.SaveMap(new EmbeddingMap(epoch, [0.5, 0.2], [0], [0], [[]], [[]]));
        Assert.Equal([1, 2, 3], store.Epochs());
        store.DeleteAfter(1);
        Assert.Equal([1], store.Epochs());
        Assert.Empty(Directory.GetFiles(store.Folder, "*.tmp"));
    }

    [Fact]
    public async Task TrainingMapsTheSampleAtEachEvaluationAndAResumeMakesTheLaterMapsAgain()
    {
        using var temp = new TempDirectory();
        var config = TrainingRuns.Quick(epochs: 3) with { EmbeddingMapImages = 20 };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = temp.Path }));

        Assert.Equal([0, 1, 2], events.OfType<EmbeddingMapped>().Select(e => e.Epoch));
        var store = new EmbeddingMapStore(temp.Path);
        Assert.Equal([1, 2, 3], store.Epochs());
        var sample = store.ReadSample()!;
        Assert.Equal(20, sample.Count);
        Assert.Equal(20, store.ReadMap(3)!.X.Count);
        var third = store.ReadMap(3)!;

        // The map of a checkpoint made on demand, on the same sample, is the map training made at that epoch.
        var again = await EmbeddingMapper.MapCheckpointAsync(Path.Combine(temp.Path, "latest.ckpt"), store, new Engine.Data.DatasetLoader());
        Assert.Equal(third.X, again.X);
        Assert.Equal(third.Neighbours, again.Neighbours);

        // Stopped during the second epoch's evaluation and resumed: the maps are those of the uninterrupted run.
        using var interrupted = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var first = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = interrupted.Path }, stop.Token),
            stopAfter: e => e is EpochCompleted { Epoch: 1 }, stop);
        Assert.IsType<RunStopped>(first[^1]);
        var interruptedStore = new EmbeddingMapStore(interrupted.Path);
        Assert.Equal([1], interruptedStore.Epochs());
        var resumed = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = interrupted.Path, ResumeFrom = Path.Combine(interrupted.Path, "latest.ckpt") }));
        Assert.Equal([1, 2], resumed.OfType<EvaluationCompleted>().Where(e => e.Kind == "knn").Select(e => e.Epoch));   // the interrupted evaluation first
        Assert.Equal([2], resumed.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Equal([1, 2, 3], interruptedStore.Epochs());
        Assert.Equal(third.X, interruptedStore.ReadMap(3)!.X);
        Assert.Equal(store.ReadMap(2)!.Neighbours, interruptedStore.ReadMap(2)!.Neighbours);
    }
}
