using AspireSimClr.Engine.Evaluation;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Evaluation;

public class EvaluationTests
{
    [Fact]
    public void KnnVotesWithSimilarityWeights()
    {
        // Bank: two class-0 points near +x, one class-1 point near +y.
        using var bank = tensor(new float[] { 1, 0.1f, 1, -0.1f, 0.1f, 1 }, [3, 2]);
        long[] bankLabels = [0, 0, 1];
        using var queries = tensor(new float[] { 1, 0, 0, 1, 0.2f, 1 }, [3, 2]);
        Assert.Equal(1.0, KnnClassifier.Top1(bank, bankLabels, queries, [0, 1, 1], classes: 2, k: 3, temperature: 0.1));
        // With k = 3 and a huge temperature, the majority (class 0) wins every query: 1 of 3 correct.
        Assert.Equal(1.0 / 3, KnnClassifier.Top1(bank, bankLabels, queries, [0, 1, 1], classes: 2, k: 3, temperature: 1e6), 10);
    }

    [Fact]
    public void LinearProbeSeparatesSeparableFeaturesAndFailsOnNoise()
    {
        manual_seed(0);
        using var centres = randn(4, 16) * 3;
        long[] labels = Enumerable.Range(0, 400).Select(i => (long)(i % 4)).ToArray();
        using var index = tensor(labels);
        using var features = centres.index_select(0, index) + randn(400, 16) * 0.5;
        double separable = LinearProbe.Top1(features[..300], labels[..300], features[300..], labels[300..], 4, epochs: 30, learningRate: 1e-2, seed: 1);
        Assert.True(separable > 0.95, $"separable features: {separable:P1}");

        using var noise = randn(400, 16);
        double chance = LinearProbe.Top1(noise[..300], labels[..300], noise[300..], labels[300..], 4, epochs: 30, learningRate: 1e-2, seed: 1);
        Assert.True(chance < 0.5, $"noise features: {chance:P1}");
    }

    [Fact]
    public void LinearProbeStopsWhenCancelled()
    {
        manual_seed(0);
        using var features = randn(2048, 64);
        long[] labels = Enumerable.Range(0, 2048).Select(i => (long)(i % 10)).ToArray();
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Without cancellation, a million epochs would take hours.
        Assert.ThrowsAny<OperationCanceledException>(() => LinearProbe.Top1(features, labels, features[..256], labels[..256], 10,
            epochs: 1_000_000, learningRate: 1e-3, seed: 1, cancellationToken: cancellation.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the probe stopped {watch.Elapsed} after it started");
    }

    [Fact]
    public void KnnStopsWhenCancelled()
    {
        using var bank = randn(64, 8);
        long[] labels = Enumerable.Range(0, 64).Select(i => (long)(i % 2)).ToArray();
        Assert.ThrowsAny<OperationCanceledException>(() => KnnClassifier.Top1(bank, labels, bank, labels, 2, k: 5, temperature: 0.1,
            cancellationToken: new CancellationToken(canceled: true)));
    }
}
