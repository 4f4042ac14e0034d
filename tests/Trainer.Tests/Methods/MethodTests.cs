using AspireSimClr.Engine;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Methods.Byol;
using AspireSimClr.Engine.Methods.MocoV2;
using AspireSimClr.Engine.Models;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Methods;

public class MethodTests
{
    private static readonly TrainingConfig Config = TrainingRuns.Quick() with { Precision = PrecisionNames.Fp32, ChannelsLast = false };

    [Theory]
    [InlineData(MethodNames.SimClr, typeof(ProjectionNetwork))]
    [InlineData(MethodNames.Byol, typeof(ByolNetwork))]
    [InlineData(MethodNames.MocoV2, typeof(ProjectionNetwork))]
    [InlineData(MethodNames.Vicreg, typeof(ProjectionNetwork))]
    [InlineData(MethodNames.BarlowTwins, typeof(ProjectionNetwork))]
    [InlineData(MethodNames.Dino, typeof(AspireSimClr.Engine.Methods.Dino.DinoNetwork))]
    public void EveryRegisteredMethodBuildsItsOnlineNetworkAndAFiniteLoss(string name, Type network)
    {
        manual_seed(0);
        var config = Config with { Method = name };
        using var method = SslMethods.Create(config, CPU);
        Assert.IsType(network, method.Online);
        Assert.Equal(2, method.Views.Count);
        using var views = randn(2 * 8, 3, 16, 16);
        using var outputs = method.Online.call(views);
        using var loss = method.Loss(new MethodBatch(views, outputs, 8));
        Assert.Empty(loss.shape);
        Assert.True(double.IsFinite(loss.item<float>()), $"{name}: loss {loss.item<float>()}");
        method.AfterStep(new TrainingProgress(1, 10));
    }

    [Fact]
    public void AnUnknownMethodIsAConfigErrorOnMethod()
    {
        var error = Assert.Throws<InvalidConfigException>(() => SslMethods.CreateOnline(Config with { Method = "simsiam" }));
        Assert.Equal(nameof(TrainingConfig.Method), error.Errors.Single().Field);
        Assert.Contains(TrainingConfigValidator.Validate(Config with { Method = "simsiam" }), e => e.Field == nameof(TrainingConfig.Method));
    }

    [Fact]
    public void ByolSolarizesOnlyItsSecondView()
    {
        using var method = new ByolMethod(Config with { Method = MethodNames.Byol, SolarizeProbability = 0.2 }, CPU);
        Assert.Equal(0, method.Views[0].SolarizeProbability);
        Assert.Equal(0.2, method.Views[1].SolarizeProbability);
    }

    [Fact]
    public void TheTargetStartsAsTheOnlineWeightsAndFollowsThemByMovingAverage()
    {
        manual_seed(0);
        var config = Config with { Method = MethodNames.Byol, TargetMomentum = 0.9 };
        using var online = new ByolNetwork(config);
        using var target = new MomentumTarget(config, online, () => ProjectionNetwork.Create(config), CPU);
        using var views = randn(8, 3, 16, 16);

        // Identical weights at the start: the target's projection is the online network's before its predictor.
        var before = online.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using (var saved = new MemoryStream())
        {
            using var writer = new BinaryWriter(saved);
            target.Save(writer);
            Assert.True(saved.Length > 0);
        }
        using (no_grad())
            foreach (var (_, parameter) in online.named_parameters()) parameter.add_(1.0);

        // At the start of the run the momentum is the configured 0.9: target = 0.9·old + 0.1·(old + 1).
        target.Update(new TrainingProgress(0, 100));
        var targetWeights = ReadTargetWeights(target, config);
        foreach (var (name, value) in targetWeights)
        {
            using var expected = before[name] + 0.1;
            Assert.True(allclose(value, expected, rtol: 1e-5, atol: 1e-6), $"{name} is not 0.9·old + 0.1·new");
        }
        Assert.DoesNotContain(targetWeights.Keys, name => name.StartsWith("predictor"));
        foreach (var value in before.Values) value.Dispose();
    }

    [Theory]
    [InlineData(0.99, 0, 100, 0.99)]
    [InlineData(0.99, 50, 100, 0.995)]
    [InlineData(0.99, 100, 100, 1.0)]
    public void TargetMomentumRisesToOneOnACosine(double baseMomentum, long step, long total, double expected) =>
        Assert.Equal(expected, MomentumTarget.Momentum(baseMomentum, new TrainingProgress(step, total)), 10);

    [Fact]
    public void TheKeyQueueReplacesItsOldestKeysAndWrapsAround()
    {
        using var queue = new KeyQueue(5, 2, CPU);
        using var first = tensor(new float[] { 1, 0, 2, 0, 3, 0 }, [3, 2]);     // normalised to (1, 0)
        using var second = tensor(new float[] { 0, 1, 0, 4, 0, 5 }, [3, 2]);    // normalised to (0, 1)
        queue.Enqueue(first);
        queue.Enqueue(second);
        // Slots 0–2 took the first keys, 3–4 and then 0 (wrapped) the second.
        float[] expected = [0, 1, 1, 0, 1, 0, 0, 1, 0, 1];
        Assert.Equal(expected, queue.Keys.data<float>().ToArray());

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) queue.Save(writer);
        stream.Position = 0;
        using var restored = new KeyQueue(5, 2, CPU);
        using (var reader = new BinaryReader(stream)) restored.Load(reader);
        Assert.Equal(expected, restored.Keys.data<float>().ToArray());
        // The write position came back too: the next key goes to slot 1.
        using var third = tensor(new float[] { 3, 4 }, [1, 2]);
        restored.Enqueue(third);
        Assert.Equal(new[] { 0.6f, 0.8f }, restored.Keys[1].data<float>().ToArray());
    }

    private static Dictionary<string, Tensor> ReadTargetWeights(MomentumTarget target, TrainingConfig config)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) target.Save(writer);
        stream.Position = 0;
        var copy = ProjectionNetwork.Create(config);
        using (var reader = new BinaryReader(stream)) copy.load(reader);
        return copy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
    }
}
