using AspireSimClr.Engine;
using AspireSimClr.Engine.Flat;
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
        using var layer = Layer(weight: [3, 4], bias: 1);                          // ‖w‖ = 5
        using var flat = FlatNetwork.Adopt(layer);
        SetGradients(layer, weight: [0.6f, 0.8f], bias: 2);                         // ‖g‖ = 1
        using var lars = new Lars(flat, learningRate: 0.1, momentum: 0.9, weightDecay: 0, eta: 0.02);
        lars.Step();

        // trust = η‖w‖/‖g‖ = 0.1; update = lr · trust · g
        Assert.Equal(3 - 0.1f * 0.1f * 0.6f, layer.weight[0, 0].item<float>(), 6);
        Assert.Equal(4 - 0.1f * 0.1f * 0.8f, layer.weight[0, 1].item<float>(), 6);
        Assert.Equal(1 - 0.1f * 2, layer.bias![0].item<float>(), 6);

        // momentum: second step with the same gradients adds 0.9 · previous buffer
        lars.Step();
        Assert.Equal(1 - 0.1f * 2 - 0.1f * (2 * 0.9f + 2), layer.bias![0].item<float>(), 5);
    }

    [Fact]
    public void LarsStateRoundTrips()
    {
        using var layer = Layer(weight: [1, 1], bias: 1);
        using var flat = FlatNetwork.Adopt(layer);
        SetGradients(layer, weight: [0.5f, 0.5f], bias: 0.5f);
        using var lars = new Lars(flat, 0.1, 0.9, 1e-4, 0.02);
        lars.Step();
        using var stream = new MemoryStream();
        lars.SaveState(new BinaryWriter(stream));
        stream.Position = 0;

        using var copyLayer = Layer(weight: [1, 1], bias: 1);
        using var copyFlat = FlatNetwork.Adopt(copyLayer);
        using (no_grad()) copyFlat.Parameters[0].Values.copy_(flat.Parameters[0].Values);
        SetGradients(copyLayer, weight: [0.5f, 0.5f], bias: 0.5f);
        using var copy = new Lars(copyFlat, 0.1, 0.9, 1e-4, 0.02);
        copy.LoadState(new BinaryReader(stream));
        lars.Step();
        copy.Step();
        Assert.True(Tensors.Identical(flat.Parameters[0].Values, copyFlat.Parameters[0].Values));
    }

    private static Linear Layer(float[] weight, float bias)
    {
        var layer = nn.Linear(weight.Length, 1);
        using (no_grad())
        {
            layer.weight.copy_(tensor(weight, [1, weight.Length]));
            layer.bias!.fill_(bias);
        }
        return layer;
    }

    private static void SetGradients(Linear layer, float[] weight, float bias)
    {
        layer.weight.grad!.copy_(tensor(weight, [1, weight.Length]));
        layer.bias!.grad!.fill_(bias);
    }

    [Fact]
    public void WeightDecayFollowsACosineFromItsStartToItsEndOverTheRunOrStaysConstant()
    {
        var config = new TrainingConfig { Epochs = 2, WeightDecay = 0.04, WeightDecayEnd = 0.4 };
        var schedule = AspireSimClr.Engine.Optimization.WarmupCosineSchedule.WeightDecayFor(config, stepsPerEpoch: 10)!;
        Assert.Equal(0.04, schedule.RateAt(0), 12);
        Assert.Equal(0.22, schedule.RateAt(10), 12);   // half way: the mean of the ends
        Assert.Equal(0.4 - 0.36 * 0.5 * (1 + Math.Cos(Math.PI * 19 / 20)), schedule.RateAt(19), 12);
        Assert.True(schedule.RateAt(19) > 0.39);
        Assert.Null(AspireSimClr.Engine.Optimization.WarmupCosineSchedule.WeightDecayFor(config with { WeightDecayEnd = null }, 10));
    }
}
