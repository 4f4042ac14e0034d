using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Precision;
using AspireSimClr.Trainer.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Flat;

public class FlatNetworkTests
{
    private static readonly TrainingConfig Config = TrainingRuns.Quick() with { Model = ModelNames.CompactCnn };

    [Fact]
    public void AdoptedParametersKeepTheirValuesAndBecomeViewsOfOneBufferWeightsFirst()
    {
        manual_seed(1);
        using var network = ProjectionNetwork.Create(Config);
        var before = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var flat = FlatNetwork.Adopt(network);

        var buffer = Assert.Single(flat.Parameters);
        Assert.Equal(network.parameters().Sum(p => p.numel()), buffer.Length);
        foreach (var (name, parameter) in network.named_parameters())
            Assert.True(Tensors.Identical(before[name], parameter), $"{name} changed when adopted");

        var kinds = buffer.Slices.Select(s => Kind(network, s)).ToList();
        Assert.Equal(kinds.OrderBy(k => k).ToList(), kinds);  // weight tensors, then other 1-d, then normalisation
        Assert.Contains(0, kinds);
        Assert.Contains(2, kinds);

        using (no_grad()) buffer.Values.fill_(0.25f);
        Assert.All(network.parameters(), p => Assert.Equal(0.25f, p.max().item<float>()));
    }

    [Fact]
    public void BackwardAccumulatesIntoTheFlatGradientsAsIntoSeparateOnes()
    {
        manual_seed(2);
        using var network = ProjectionNetwork.Create(Config);
        using var reference = ProjectionNetwork.Create(Config);
        reference.load_state_dict(network.state_dict());
        using var flat = FlatNetwork.Adopt(network);
        using var images = randn(8, 3, 16, 16);

        for (int pass = 0; pass < 2; pass++)  // twice: gradients add up until zeroed
        {
            network.forward(images).square().sum().backward();
            reference.forward(images).square().sum().backward();
        }

        var references = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (slice, parameter) in flat.ParametersInModuleOrder)
        {
            using var fromBuffer = flat.Parameters[0].GradientsAt(slice.Offset, slice.Length);
            Assert.True(Tensors.Identical(references[slice.Name].flatten(), fromBuffer), $"{slice.Name}: flat gradient differs");
            Assert.True(Tensors.Identical(parameter.grad!.flatten(), fromBuffer), $"{slice.Name}: .grad is not the flat gradient");
        }
        flat.ZeroGradients();
        Assert.All(network.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
    }

    [Fact]
    public void LoadingACheckpointInPlaceKeepsTheParametersInTheirBuffer()
    {
        manual_seed(3);
        using var saved = ProjectionNetwork.Create(Config);
        using var stream = new MemoryStream();
        saved.save(new BinaryWriter(stream));
        stream.Position = 0;

        using var network = ProjectionNetwork.Create(Config);
        using var flat = FlatNetwork.Adopt(network);
        ModuleState.Load(network, new BinaryReader(stream));

        foreach (var (name, parameter) in saved.named_parameters())
            Assert.True(Tensors.Identical(parameter, network.get_parameter(name)!), $"{name} not loaded");
        Assert.True(FlatNetwork.IsAdopted(network));
        using (no_grad()) flat.Parameters[0].Values.zero_();
        Assert.All(network.parameters(), p => Assert.Equal(0f, p.abs().sum().item<float>()));
    }

    [Fact]
    public void TheBf16CopyPairsWithItsMasterInOneRunPerDtype()
    {
        manual_seed(4);
        using var master = ProjectionNetwork.Create(Config);
        using var flat = FlatNetwork.Adopt(master);
        using var working = ProjectionNetwork.Create(Config);
        working.to(ScalarType.BFloat16);
        foreach (var (_, module) in working.named_modules())
            if (module is BatchNorm1d or BatchNorm2d) module.to(ScalarType.Float32);
        using var workingFlat = FlatNetwork.Adopt(working);

        using var runs = new FlatRuns(master.named_parameters().Select(p => ((Tensor)p.parameter, (Tensor)working.get_parameter(p.name)!)), withGradients: true);

        Assert.Equal(2, workingFlat.Parameters.Count);                     // bf16 and fp32 (batch norm)
        Assert.Equal(2, runs.Values.Count);
        Assert.Equal(2, runs.Gradients.Count);
        runs.CopyValuesToB();
        foreach (var (name, parameter) in master.named_parameters())
        {
            var copy = working.get_parameter(name)!;
            Assert.True(Tensors.Identical(parameter.to_type(copy.dtype), copy), $"{name} was not copied");
        }
    }

    [Fact]
    public void AMomentumTargetFollowsItsOnlineNetworkInAFewRuns()
    {
        manual_seed(5);
        var config = Config with { Method = MethodNames.Byol, Precision = PrecisionNames.Fp32 };
        using var session = TrainingSession.Create(config, new Engine.Augmentation.Normalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]), CPU);
        var online = session.Method.Online;
        using (no_grad())
            foreach (var p in online.parameters()) p.add_(1.0);

        session.Method.AfterStep(new TrainingProgress(0, 10));   // momentum 0.99 at the start
        using var stream = new MemoryStream();
        session.Method.SaveState(new BinaryWriter(stream));
        stream.Position = 0;
        using var target = ProjectionNetwork.Create(config);
        target.load(new BinaryReader(stream));
        foreach (var (name, parameter) in target.named_parameters())
        {
            // Both started equal; the online network then moved by 1, so the target moved by 1 − m.
            var expected = online.get_parameter(name)!.sub(1.0 - 0.01);
            Assert.True(parameter.allclose(expected, rtol: 0, atol: 1e-5), $"{name} did not follow the online network");
        }
    }

    private static int Kind(nn.Module network, FlatSlice slice)
    {
        var module = slice.Name[..slice.Name.LastIndexOf('.')];
        var isNorm = network.named_modules().Any(m => m.name == module && m.module is BatchNorm1d or BatchNorm2d);
        return isNorm ? 2 : slice.Dimensions > 1 ? 0 : 1;
    }
}
