using AspireSimClr.Engine;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Trainer.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Optimization;

public class OptimizationTests
{
    [Fact]
    public void ScheduleWarmsUpLinearlyThenDecaysAlongACosine()
    {
        var schedule = new WarmupCosineSchedule(BaseRate: 1.0, MinRate: 0.1, WarmupSteps: 10, TotalSteps: 110);
        Assert.Equal(0.1, schedule.RateAt(0), 10);
        Assert.Equal(0.5, schedule.RateAt(4), 10);
        Assert.Equal(1.0, schedule.RateAt(9), 10);
        Assert.Equal(1.0, schedule.RateAt(10), 10);
        Assert.Equal(0.1 + 0.9 * 0.5, schedule.RateAt(60), 10);
        Assert.Equal(0.1, schedule.RateAt(110), 10);
    }

    [Fact]
    public void DefaultLearningRatesFollowTheOptimiser()
    {
        Assert.Equal(3e-4, new TrainingConfig { Optimizer = OptimizerNames.Adam }.EffectiveLearningRate);
        Assert.Equal(0.3 * 512 / 256, new TrainingConfig { Optimizer = OptimizerNames.Lars, BatchSize = 512 }.EffectiveLearningRate, 12);
        Assert.Equal(0.5, new TrainingConfig { Optimizer = OptimizerNames.Lars, LearningRate = 0.5 }.EffectiveLearningRate);
    }

    [Fact]
    public void LarsScalesWeightUpdatesByTheTrustRatioButNotBiases()
    {
        using var weight = new Parameter(tensor(new float[] { 3, 4 }, [1, 2]));   // ‖w‖ = 5
        using var bias = new Parameter(tensor(new float[] { 1 }));
        weight.grad = tensor(new float[] { 0.6f, 0.8f }, [1, 2]);                  // ‖g‖ = 1
        bias.grad = tensor(new float[] { 2 });
        using var lars = new Lars([weight, bias], learningRate: 0.1, momentum: 0.9, weightDecay: 0, eta: 0.02);
        lars.Step();

        // trust = η‖w‖/‖g‖ = 0.1; update = lr · trust · g
        Assert.Equal(3 - 0.1f * 0.1f * 0.6f, weight[0, 0].item<float>(), 6);
        Assert.Equal(4 - 0.1f * 0.1f * 0.8f, weight[0, 1].item<float>(), 6);
        Assert.Equal(1 - 0.1f * 2, bias[0].item<float>(), 6);

        // momentum: second step with the same gradients adds 0.9 · previous buffer
        lars.Step();
        Assert.Equal(1 - 0.1f * 2 - 0.1f * (2 * 0.9f + 2), bias[0].item<float>(), 5);
    }

    [Fact]
    public void LarsStateRoundTrips()
    {
        using var weight = new Parameter(ones(2, 2));
        weight.grad = full(2, 2, 0.5f);
        using var lars = new Lars([weight], 0.1, 0.9, 1e-4, 0.02);
        lars.Step();
        using var stream = new MemoryStream();
        lars.SaveState(new BinaryWriter(stream));
        stream.Position = 0;

        using var copyWeight = new Parameter(weight.detach().clone());
        copyWeight.grad = full(2, 2, 0.5f);
        using var copy = new Lars([copyWeight], 0.1, 0.9, 1e-4, 0.02);
        copy.LoadState(new BinaryReader(stream));
        lars.Step();
        copy.Step();
        Assert.True(Tensors.Identical(weight, copyWeight));
    }
}
