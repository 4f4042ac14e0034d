using AspireSimClr.Engine;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Losses;

public class MultiCropLossTests
{
    [Fact]
    public void MultiPositiveNtXentMatchesAHandComputationOverThreeViews()
    {
        // N = 2 images, V = 3 views, 2-d projections (not normalised); rows are view-major: view v of image i at 2v + i.
        double[][] rows = [[1, 0], [0, 2], [3, 1], [-1, 1], [1, 1], [2, -1]];
        double temperature = 0.5;
        var unit = rows.Select(v => { double n = Math.Sqrt(v[0] * v[0] + v[1] * v[1]); return new[] { v[0] / n, v[1] / n }; }).ToArray();
        double Similarity(int a, int b) => Math.Exp((unit[a][0] * unit[b][0] + unit[a][1] * unit[b][1]) / temperature);

        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double positives = 0, others = 0;
            for (int k = 0; k < 6; k++)
            {
                if (k == i) continue;
                others += Similarity(i, k);
                if (k % 2 == i % 2) positives += Similarity(i, k);   // another view of the same image
            }
            expected += -Math.Log(positives / others);
        }
        expected /= 6;

        using var outputs = tensor(rows.SelectMany(v => v).Select(v => (float)v).ToArray(), [6, 2]);
        using var loss = MultiPositiveNtXentLoss.Compute(outputs, views: 3, temperature);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void WithTwoViewsItIsNtXent()
    {
        manual_seed(4);
        using var view1 = randn(8, 16);
        using var view2 = randn(8, 16);
        using var both = cat([view1, view2]);
        using var expected = NtXentLoss.Compute(view1, view2, 0.2);
        using var actual = MultiPositiveNtXentLoss.Compute(both, views: 2, 0.2);
        Assert.Equal(expected.item<float>(), actual.item<float>(), 5);
    }

    [Fact]
    public void ThePairwiseMethodsAverageTheirLossOverThePairsThatHoldAFullSizeView()
    {
        manual_seed(5);
        var config = TrainingRuns.Quick() with { Method = MethodNames.Vicreg, Model = ModelNames.CompactCnn, SmallCrops = 2, SmallCropSize = 8, Precision = PrecisionNames.Fp32 };
        using var method = SslMethods.Create(config, CPU);
        Assert.Equal([16, 16, 8, 8], method.Views.Select(v => v.ImageSize));
        Assert.Equal((0.05, 0.14), (method.Views[3].CropScaleMin, method.Views[3].CropScaleMax));
        using var outputs = randn(4 * 6, 16);
        Tensor View(int v) => outputs.narrow(0, 6L * v, 6);
        using var loss = method.Loss(new MethodBatch(zeros(12, 3, 16, 16), outputs, 6));

        // (full 0, full 1), (full 0, crop 2), (full 0, crop 3), (full 1, crop 2), (full 1, crop 3); crops are not paired together.
        var pairs = new[] { (0, 1), (0, 2), (0, 3), (1, 2), (1, 3) };
        double expected = pairs.Average(p =>
        {
            using var term = VicregLoss.Compute(View(p.Item1), View(p.Item2), config.VicregInvarianceWeight, config.VicregVarianceWeight, config.VicregCovarianceWeight);
            return term.item<float>();
        });
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Theory]
    [InlineData(MethodNames.Byol)]
    [InlineData(MethodNames.MocoV2)]
    public void MethodsWithATargetNetworkRefuseSmallCropsByName(string method)
    {
        var errors = TrainingConfigValidator.Validate(TrainingRuns.Quick() with { Method = method, Model = ModelNames.CompactCnn, SmallCrops = 2, SmallCropSize = 8 });
        Assert.Contains("multi-crop is built for", Assert.Single(errors, e => e.Field == nameof(TrainingConfig.SmallCrops)).Message);
    }

    [Fact]
    public void SmallCropsMustBeSmallerThanTheImageAndTheirScalesOrdered()
    {
        var errors = TrainingConfigValidator.Validate(TrainingRuns.Quick() with { Model = ModelNames.CompactCnn, SmallCrops = 2, SmallCropSize = 16, SmallCropScaleMin = 0.3, SmallCropScaleMax = 0.2 });
        Assert.Contains("below the image size, 16 px", Assert.Single(errors, e => e.Field == nameof(TrainingConfig.SmallCropSize)).Message);
        Assert.Contains("SmallCropScaleMin ≤ SmallCropScaleMax", Assert.Single(errors, e => e.Field == nameof(TrainingConfig.SmallCropScaleMin)).Message);
        Assert.Empty(TrainingConfigValidator.Validate(TrainingRuns.Quick() with { SmallCropSize = 16, SmallCropScaleMin = 0.3, SmallCropScaleMax = 0.2 }));
        Assert.Contains("tiny-cnn flattens", Assert.Single(TrainingConfigValidator.Validate(TrainingRuns.Quick() with { SmallCrops = 2, SmallCropSize = 8 })).Message);
    }
}
