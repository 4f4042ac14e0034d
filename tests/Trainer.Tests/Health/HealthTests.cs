using AspireSimClr.Engine;
using AspireSimClr.Engine.Health;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Health;

public class EmbeddingHealthTests
{
    [Fact]
    public void CollapsedEmbeddingsShowNoSpreadRankOneAndNoUniformity()
    {
        // Every image mapped to (almost) the same point, in both views.
        using var generator = new Generator(1);
        using var point = randn(1, 64, generator: generator);
        using var collapsed = point.expand(256, 64) + 1e-6 * randn(256, 64, generator: generator);
        var health = EmbeddingHealth.Measure(collapsed, collapsed);
        Assert.True(health.NormalizedStd < 1e-4, $"std {health.NormalizedStd}");
        Assert.True(health.EffectiveRank < 1.1, $"rank {health.EffectiveRank}");
        Assert.Equal(1.0, health.PositiveCosine, 4);
        Assert.Equal(1.0, health.NegativeCosine, 4);   // different images look the same
        Assert.Equal(0.0, health.Alignment, 4);
        Assert.Equal(0.0, health.Uniformity, 3);       // log of e^0: the worst uniformity
    }

    [Fact]
    public void SpreadEmbeddingsSitAtTheUniformStdWithHighRank()
    {
        using var generator = new Generator(2);
        using var spread = randn(512, 64, generator: generator);
        using var noise = 0.1 * randn(512, 64, generator: generator);
        using var otherView = spread + noise;
        var health = EmbeddingHealth.Measure(spread, otherView);
        Assert.Equal(1 / 8.0, health.UniformStd, 10);
        Assert.InRange(health.NormalizedStd, 0.9 * health.UniformStd, 1.1 * health.UniformStd);
        Assert.True(health.EffectiveRank > 50, $"rank {health.EffectiveRank} of 64 dimensions");
        Assert.True(health.PositiveCosine > 0.98, $"positive cosine {health.PositiveCosine}");
        Assert.InRange(health.NegativeCosine, -0.02, 0.02);
        Assert.True(health.Uniformity < -3.5, $"uniformity {health.Uniformity} (uniform on a 64-d sphere: about −4)");
    }

    [Fact]
    public void ALowRankSubspaceIsMeasuredAsItsDimension()
    {
        // 512 images in a 4-dimensional subspace of 64 dimensions.
        using var generator = new Generator(3);
        using var low = randn(512, 4, generator: generator).mm(randn(4, 64, generator: generator));
        var health = EmbeddingHealth.Measure(low, low);
        Assert.InRange(health.EffectiveRank, 2.5, 4.05);
    }
}

public class HealthMonitorTests
{
    private static EmbeddingHealth Healthy => new(128, 0.08, 40, 0.9, 0.05, 0.2, -3.5);

    [Fact]
    public void CollapseIsRaisedOnceWithAdvice()
    {
        var monitor = new HealthMonitor();
        Assert.Null(monitor.Observe(Healthy, 1.0));
        var issue = monitor.Observe(Healthy with { NormalizedStd = 0.001, EffectiveRank = 1.2 }, 1.0);
        Assert.Equal(HealthMonitor.Collapse, issue?.Code);
        Assert.Contains("learning rate", issue!.Message);
        Assert.Null(monitor.Observe(Healthy with { NormalizedStd = 0.001, EffectiveRank = 1.2 }, 1.0));
    }

    [Fact]
    public void AGradientNormFarAboveItsMedianIsANanRisk()
    {
        var monitor = new HealthMonitor();
        foreach (var norm in new[] { 1.0, 1.2, 0.9, 1.1, 1.0, 3.0 }) Assert.Null(monitor.Observe(Healthy, norm));   // 3× is noise
        Assert.Equal(HealthMonitor.NanRisk, monitor.Observe(Healthy, 15)?.Code);
        Assert.Equal(HealthMonitor.NanRisk, new HealthMonitor().Observe(Healthy, double.NaN)?.Code);
    }

    [Fact]
    public void ThreeEvaluationsWithoutGainAreAPlateau()
    {
        var monitor = new HealthMonitor();
        foreach (var knn in new[] { 0.40, 0.50, 0.55, 0.5505, 0.551 }) Assert.Null(monitor.ObserveKnn(knn));   // 0.55 still gained 5 points
        // 0.5505, 0.551, 0.5515: three in a row within 0.2 points of the best before them (0.55).
        Assert.Equal(HealthMonitor.KnnPlateau, monitor.ObserveKnn(0.5515)?.Code);
        Assert.Null(monitor.ObserveKnn(0.5516));   // raised once
    }

    [Fact]
    public void AnEpochAtLessThanHalfTheUsualThroughputIsAStall()
    {
        var monitor = new HealthMonitor();
        foreach (var rate in new[] { 4000.0, 4200, 3900, 2500 }) Assert.Null(monitor.ObserveEpoch(rate, pixelsPerImage: 2048));   // 2500: slower, not stalled
        Assert.Equal(HealthMonitor.ThroughputStall, monitor.ObserveEpoch(1500, pixelsPerImage: 2048)?.Code);
    }

    [Fact]
    public void LargerViewsUnderProgressiveResolutionAreNotAStall()
    {
        var monitor = new HealthMonitor();
        // Two 16-px views train about 2.3 times as many images per second as two 32-px ones (measured on CIFAR-10,
        // compact-cnn): under half the images/s, but more pixels per second.
        foreach (var rate in new[] { 13000.0, 13400, 12700, 12900 }) Assert.Null(monitor.ObserveEpoch(rate, pixelsPerImage: 2 * 16 * 16));
        foreach (var rate in new[] { 5700.0, 5500, 5800 }) Assert.Null(monitor.ObserveEpoch(rate, pixelsPerImage: 2 * 32 * 32));
        // Against the recent, larger epochs, not the small early ones: 2,500 images/s would pass against the whole history.
        Assert.Equal(HealthMonitor.ThroughputStall, monitor.ObserveEpoch(2500, pixelsPerImage: 2 * 32 * 32)?.Code);
    }
}

public class HealthDuringTrainingTests
{
    [Fact]
    public async Task SignalsAreMeasuredEveryNStepsWithoutChangingTraining()
    {
        var config = TrainingRuns.Quick(epochs: 1) with { HealthEverySteps = 2, LinearProbe = false, KnnEveryEpochs = 0 };
        var measured = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions()));
        var health = measured.OfType<HealthMeasured>().ToList();
        Assert.Equal([2L], health.Select(h => h.GlobalStep));   // 3 steps, every 2nd
        Assert.All(health, h => Assert.True(double.IsFinite(h.GradientNorm) && h.GradientNorm > 0 && h.Health.EffectiveRank >= 1, h.ToString()));

        var unmeasured = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config with { HealthEverySteps = 0 }, new TrainingLoopOptions()));
        Assert.Empty(unmeasured.OfType<HealthMeasured>());
        Assert.Equal(unmeasured.OfType<StepCompleted>().Select(s => s.Loss), measured.OfType<StepCompleted>().Select(s => s.Loss));
    }
}
