using AspireSimClr.Engine;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Trainer.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Optimization;

/// <summary>
/// The optimisers on flat buffers against the per-tensor updates they replace: TorchSharp's Adam and SGD,
/// and LARS written tensor by tensor as before. Same network, same gradients, several steps; and state
/// files of TorchSharp's optimisers (what earlier checkpoints hold) continue exactly where they left off.
/// </summary>
public class FlatOptimizerTests
{
    private static readonly TrainingConfig Config = TrainingRuns.Quick() with { Model = ModelNames.CompactCnn };

    [Theory]
    [InlineData(OptimizerNames.Adam, 0.0)]
    [InlineData(OptimizerNames.Adam, 1e-2)]
    [InlineData(OptimizerNames.Sgd, 0.0)]
    [InlineData(OptimizerNames.Sgd, 1e-2)]
    public void AdamAndSgdOnTheFlatBufferUpdateAsTorchSharpsDo(string optimizer, double weightDecay)
    {
        var config = Config with { Optimizer = optimizer, WeightDecay = weightDecay, LearningRate = 0.01 };
        var (flat, reference, network, referenceNetwork) = Pair(config);
        using var _ = flat;
        using var __ = reference;
        using var ___ = network;
        using var ____ = referenceNetwork;
        using var initial = flat.Network.Parameters[0].Values.clone();
        for (int step = 0; step < 3; step++)
        {
            SameGradients(network, referenceNetwork, seed: step);
            flat.Optimizer.Step();
            reference.step();
        }
        AssertClose(network, referenceNetwork, 1e-6);
        Assert.True(flat.Network.Parameters[0].Values.ne(initial).all().item<bool>(), "some weights did not move");
    }

    [Theory]
    [InlineData(OptimizerNames.Adam)]
    [InlineData(OptimizerNames.Sgd)]
    public void AStateFileOfTorchSharpsOptimiserContinuesExactly(string optimizer)
    {
        var config = Config with { Optimizer = optimizer, WeightDecay = 1e-3, LearningRate = 0.01 };
        var (flat, reference, network, referenceNetwork) = Pair(config);
        using var _ = flat;
        using var __ = reference;
        using var ___ = network;
        using var ____ = referenceNetwork;
        SameGradients(network, referenceNetwork, seed: 0);
        flat.Optimizer.Step();
        reference.step();
        // What an earlier version's checkpoint holds: TorchSharp's own optimiser state.
        using var stream = new MemoryStream();
        reference.save_state_dict(new BinaryWriter(stream));
        stream.Position = 0;
        flat.Optimizer.LoadState(new BinaryReader(stream));
        using (no_grad()) flat.Network.Parameters[0].Values.copy_(cat(referenceNetwork.parameters().Select(p => p.flatten()).ToList()).index_select(0, ModuleOrderToFlat(flat.Network)));

        SameGradients(network, referenceNetwork, seed: 1);
        flat.Optimizer.Step();
        reference.step();
        AssertClose(network, referenceNetwork, 1e-6);

        // And what it saves now, TorchSharp's optimiser reads.
        using var saved = new MemoryStream();
        flat.Optimizer.SaveState(new BinaryWriter(saved));
        saved.Position = 0;
        reference.load_state_dict(new BinaryReader(saved));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-3)]
    public void LarsOnTheFlatBufferUpdatesAsTensorByTensor(double weightDecay)
    {
        manual_seed(7);
        using var network = ProjectionNetwork.Create(Config);
        using var referenceNetwork = ProjectionNetwork.Create(Config);
        referenceNetwork.load_state_dict(network.state_dict());
        using var flat = FlatNetwork.Adopt(network);
        using var lars = new Lars(flat, learningRate: 0.3, momentum: 0.9, weightDecay: weightDecay, eta: 0.02);
        var reference = new TensorByTensorLars(referenceNetwork.parameters().ToArray(), 0.3, 0.9, weightDecay, 0.02);
        using var initial = flat.Parameters[0].Values.clone();
        for (int step = 0; step < 3; step++)
        {
            SameGradients(network, referenceNetwork, seed: step);
            lars.Step();
            reference.Step();
        }
        AssertClose(network, referenceNetwork, 1e-5);
        Assert.True(flat.Parameters[0].Values.ne(initial).all().item<bool>(), "some weights did not move");
    }

    private sealed record FlatOptimizer(FlatNetwork Network, ITrainingOptimizer Optimizer) : IDisposable
    {
        public void Dispose()
        {
            Optimizer.Dispose();
            Network.Dispose();
        }
    }

    private static (FlatOptimizer Flat, OptimizerHelper Reference, ProjectionNetwork Network, ProjectionNetwork ReferenceNetwork) Pair(TrainingConfig config)
    {
        manual_seed(6);
        var network = ProjectionNetwork.Create(config);
        var referenceNetwork = ProjectionNetwork.Create(config);
        referenceNetwork.load_state_dict(network.state_dict());
        var flat = FlatNetwork.Adopt(network);
        var optimizer = OptimizerFactory.Create(config, flat);
        OptimizerHelper reference = config.Optimizer == OptimizerNames.Adam
            ? optim.Adam(referenceNetwork.parameters(), lr: config.EffectiveLearningRate, weight_decay: config.WeightDecay)
            : optim.SGD(referenceNetwork.parameters(), config.EffectiveLearningRate, momentum: config.Momentum, weight_decay: config.WeightDecay);
        return (new FlatOptimizer(flat, optimizer), reference, network, referenceNetwork);
    }

    /// <summary>Random gradients, the same for both networks' parameters of the same name.</summary>
    private static void SameGradients(nn.Module network, nn.Module reference, int seed)
    {
        using var generator = new Generator((ulong)(100 + seed));
        foreach (var (name, parameter) in network.named_parameters())
        {
            using var gradient = randn(parameter.shape, generator: generator);
            parameter.grad!.copy_(gradient);
            reference.get_parameter(name)!.grad = gradient.clone();
        }
    }

    private static void AssertClose(nn.Module network, nn.Module reference, double tolerance)
    {
        foreach (var (name, parameter) in network.named_parameters())
        {
            var expected = reference.get_parameter(name)!;
            double difference = (parameter - expected).abs().max().item<float>();
            Assert.True(difference <= tolerance, $"{name}: {difference:G3} from the per-tensor update");
        }
    }

    private static Tensor ModuleOrderToFlat(FlatNetwork flat)
    {
        // flat position → position in the concatenation of the parameters in module order
        var moduleOffsets = new Dictionary<string, long>();
        long offset = 0;
        foreach (var (slice, _) in flat.ParametersInModuleOrder)
        {
            moduleOffsets[slice.Name] = offset;
            offset += slice.Length;
        }
        var index = flat.Parameters[0].Slices.SelectMany(s => Enumerable.Range(0, (int)s.Length).Select(i => moduleOffsets[s.Name] + i)).ToArray();
        return tensor(index);
    }

    /// <summary>LARS as it was before the flat buffers: one tensor at a time.</summary>
    private sealed class TensorByTensorLars(Parameter[] parameters, double learningRate, double momentum, double weightDecay, double eta)
    {
        private readonly Tensor?[] _momentum = new Tensor?[parameters.Length];

        public void Step()
        {
            using var noGrad = no_grad();
            for (int i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                var update = p.grad!;
                if (p.dim() > 1)
                {
                    if (weightDecay > 0) update = update.add(p, alpha: weightDecay);
                    var weightNorm = p.norm();
                    var updateNorm = update.norm();
                    var trust = where(weightNorm.gt(0).logical_and(updateNorm.gt(0)), weightNorm * eta / updateNorm, ones_like(weightNorm));
                    update = update.mul(trust);
                }
                if (_momentum[i] is null) _momentum[i] = update.detach().clone();
                else _momentum[i]!.mul_(momentum).add_(update);
                p.add_(_momentum[i]!, alpha: -learningRate);
            }
        }
    }
}
