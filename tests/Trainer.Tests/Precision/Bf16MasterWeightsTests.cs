using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Precision;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Precision;

public class Bf16MasterWeightsTests
{
    private static readonly TrainingConfig Config = TrainingRuns.Quick() with { Model = ModelNames.CompactCnn, Precision = PrecisionNames.Bf16 };

    [Fact]
    public void GradientsReachTheFp32WeightsAndAgreeWithFp32Gradients()
    {
        manual_seed(1);
        using var network = ProjectionNetwork.Create(Config);
        network.train();
        using var views = randn(32, 3, 16, 16);

        using var fp32 = new Fp32Precision(network);
        using var reference = Gradients(fp32, network, views);
        using var bf16 = new Bf16MasterWeights(network, ProjectionNetwork.Create(Config), CPU);
        using var mixed = Gradients(bf16, network, views);

        Assert.All(network.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(network.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        double cosine = nn.functional.cosine_similarity(reference, mixed, dim: 0).item<float>();
        double relativeError = ((mixed - reference).norm() / reference.norm()).item<float>();
        // At initialisation all projections point almost the same way, so NT-Xent's gradient is a small
        // difference of similar terms and bf16's 8-bit mantissa shows in it: about 0.98 cosine, 20 % error.
        Assert.True(cosine > 0.95, $"cosine similarity of bf16 and fp32 gradients is {cosine:F4}, relative error {relativeError:P1}");
        Assert.True(relativeError < 0.3, $"bf16 gradients are {relativeError:P1} away from fp32");
        Assert.True(relativeError > 0, "bf16 gradients equal fp32 ones bit for bit: the bf16 copy was not used");
    }

    [Fact]
    public void BatchNormStatisticsOfTheBf16CopyComeBackToTheFp32Network()
    {
        manual_seed(2);
        using var network = ProjectionNetwork.Create(Config);
        network.train();
        using var views = randn(32, 3, 16, 16) * 3 + 1;
        var (name, runningMean) = network.named_buffers().First(b => b.name.EndsWith("running_mean"));
        Assert.Equal(0f, runningMean.abs().sum().item<float>());

        using var bf16 = new Bf16MasterWeights(network, ProjectionNetwork.Create(Config), CPU);
        using (Gradients(bf16, network, views)) { }

        var updated = network.named_buffers().First(b => b.name == name).buffer;
        Assert.Equal(ScalarType.Float32, updated.dtype);
        Assert.True(updated.abs().sum().item<float>() > 0, $"{name} did not change after a bf16 step");
        // Kept in fp32, the running mean is not rounded to bf16's 8-bit significand.
        Assert.False(Tensors.Identical(updated, updated.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32)), $"{name} holds only bf16 values");
    }

    private static Tensor Gradients(ITrainingPrecision precision, ProjectionNetwork network, Tensor views)
    {
        foreach (var p in network.parameters()) p.grad = null;
        using (var scope = NewDisposeScope())
        {
            var halves = precision.Forward(views).chunk(2);
            Assert.Equal(ScalarType.Float32, halves[0].dtype);
            NtXentLoss.Compute(halves[0], halves[1], 0.5).backward();
            precision.CollectGradients();
        }
        return cat(network.parameters().Select(p => p.grad!.flatten()).ToList());
    }
}
