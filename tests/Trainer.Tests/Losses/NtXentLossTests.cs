using AspireSimClr.Engine.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Trainer.Tests.Losses;

public class NtXentLossTests
{
    [Fact]
    public void MatchesAHandComputationOverTwoNSamples()
    {
        // N = 2 images, 2-d projections; the views are deliberately not normalised.
        double[][] view1 = [[1, 0], [0, 2]];
        double[][] view2 = [[3, 1], [-1, 1]];
        double temperature = 0.5;
        double[][] all = [.. view1, .. view2];
        var unit = all.Select(v => { double n = Math.Sqrt(v[0] * v[0] + v[1] * v[1]); return new[] { v[0] / n, v[1] / n }; }).ToArray();

        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            int positive = (i + 2) % 4;
            double denominator = 0;
            for (int k = 0; k < 4; k++)
                if (k != i) denominator += Math.Exp((unit[i][0] * unit[k][0] + unit[i][1] * unit[k][1]) / temperature);
            double numerator = Math.Exp((unit[i][0] * unit[positive][0] + unit[i][1] * unit[positive][1]) / temperature);
            expected += -Math.Log(numerator / denominator);
        }
        expected /= 4;

        using var z1 = tensor(view1.SelectMany(v => v).Select(v => (float)v).ToArray(), [2, 2]);
        using var z2 = tensor(view2.SelectMany(v => v).Select(v => (float)v).ToArray(), [2, 2]);
        using var loss = NtXentLoss.Compute(z1, z2, temperature);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void SelfSimilarityIsMaskedOut()
    {
        // Identical views on orthogonal codes: every sample's positive has similarity 1, all 2N − 2
        // negatives 0. With the self term masked the denominator holds e^{1/T} + (2N − 2) e^0.
        const int n = 4;
        const double t = 0.2;
        using var codes = eye(n, 8);
        using var loss = NtXentLoss.Compute(codes, codes, t);
        double expected = -Math.Log(Math.Exp(1 / t) / (Math.Exp(1 / t) + (2 * n - 2)));
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void OneViewLossOfTheTutorialIsMinimisedByContentFreeCodes()
    {
        // The tutorial contrasted each image with itself (one view): its "positive" similarity is
        // always 1, so any set of mutually orthogonal codes, for example one code per batch position,
        // whatever the images are, reaches the loss's lower bound: it teaches no invariance at all.
        const int n = 8;
        const double t = 0.5;
        using var memorised = eye(n, 16);
        double oneView = OneViewLoss(memorised, t);
        double lowerBound = Math.Log(1 + (n - 1) * Math.Exp(-1 / t));
        Assert.Equal(lowerBound, oneView, 4);

        // With two augmented views such content-free codes are not a solution: codes that ignore the
        // image cannot match a view to its partner, and NT-Xent stays far above what matching views reach.
        manual_seed(1);
        using var unrelatedView = F.normalize(randn(n, 16), dim: 1);
        double unmatched = NtXentLoss.Compute(memorised, unrelatedView, t).item<float>();
        double matched = NtXentLoss.Compute(memorised, memorised, t).item<float>();
        Assert.True(unmatched > matched + 1.0, $"NT-Xent of unrelated views {unmatched:F3} should exceed matched views {matched:F3} by > 1");
    }

    [Fact]
    public void RejectsBatchesOfOne()
    {
        using var z = ones(1, 4);
        Assert.Throws<ArgumentException>(() => NtXentLoss.Compute(z, z, 0.5));
    }

    private static double OneViewLoss(Tensor z, double temperature)
    {
        var unit = F.normalize(z, dim: 1);
        var logits = unit.mm(unit.t()) / temperature;
        return F.cross_entropy(logits, arange(z.shape[0])).item<float>();
    }
}
