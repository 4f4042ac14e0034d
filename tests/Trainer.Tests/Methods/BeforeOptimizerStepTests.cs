using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Methods;

/// <summary>The hook between backward and the optimiser's step sees the gradients the optimiser will read, in either precision.</summary>
public class BeforeOptimizerStepTests
{
    /// <summary>SimCLR whose hook zeroes every gradient the optimiser will read (as DINO zeroes its frozen last layer's).</summary>
    private sealed class FrozenSimClr(TrainingConfig config) : ISslMethod
    {
        private readonly ISslMethod _inner = SslMethods.Create(config, CPU);
        public List<long> Calls { get; } = [];
        public OnlineNetwork Online => _inner.Online;
        public IReadOnlyList<TrainingConfig> Views => _inner.Views;
        public Tensor Loss(MethodBatch batch) => _inner.Loss(batch);

        public void BeforeOptimizerStep(TrainingProgress progress)
        {
            Calls.Add(progress.Step);
            foreach (var parameter in Online.parameters()) parameter.grad?.zero_();
        }

        public void AfterStep(TrainingProgress progress) => _inner.AfterStep(progress);
        public void SaveState(BinaryWriter writer) => _inner.SaveState(writer);
        public void LoadState(BinaryReader reader) => _inner.LoadState(reader);
        public void Dispose() => _inner.Dispose();
    }

    private static float LargestChange(ISslMethod method, TrainingConfig config)
    {
        using var online = FlatNetwork.Adopt(method.Online);
        using var optimizer = OptimizerFactory.Create(config, online);
        using var step = new TrainingStep(config, method, online, optimizer, new Normalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]), CPU);
        method.Online.train();
        var before = method.Online.parameters().Select(p => p.detach().clone()).ToList();
        using var generator = new Generator(5);
        using var images = randint(0, 256, [16, 3, 16, 16], dtype: ScalarType.Byte, generator: generator);
        for (int i = 1; i <= 2; i++) step.Run(images, generator, new TrainingProgress(i, 2), readLoss: false);
        return method.Online.parameters().Zip(before, (after, start) => (after - start).abs().max().item<float>()).Max();
    }

    [Theory]
    [InlineData(PrecisionNames.Fp32)]
    [InlineData(PrecisionNames.Bf16)]   // the master weights' gradients: zeroed before the bf16 copy's were collected, they would train
    public void GradientsTheHookZeroesMoveNoWeight(string precision)
    {
        var config = TrainingRuns.Quick() with { Precision = precision, ChannelsLast = false, Optimizer = OptimizerNames.Sgd, WeightDecay = 0, LearningRate = 0.5, WarmupEpochs = 0 };
        manual_seed(1);
        using var plain = SslMethods.Create(config, CPU);
        Assert.True(LargestChange(plain, config) > 1e-4, "without the hook the step should move the weights");

        manual_seed(1);
        using var frozen = new FrozenSimClr(config);
        Assert.Equal(0f, LargestChange(frozen, config));
        Assert.Equal([1L, 2L], frozen.Calls);
    }
}
