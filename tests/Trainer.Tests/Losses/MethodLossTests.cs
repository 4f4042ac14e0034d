using AspireSimClr.Engine.Losses;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Losses;

/// <summary>The losses of BYOL, MoCo v2, VICReg and Barlow Twins against computations by hand on small numbers.</summary>
public class MethodLossTests
{
    private static double[] Unit(double[] v)
    {
        double n = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static Tensor Matrix(double[][] rows) => tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void ByolIsTwoMinusTwiceTheCosineAveragedOverTheBatch()
    {
        double[][] predictions = [[1, 0], [1, 1]];
        double[][] targets = [[0, 2], [3, 3]];
        // cos = 0 for the first pair, 1 for the second: (2 − 0 + 2 − 2) / 2.
        double expected = predictions.Zip(targets, (p, z) => 2 - 2 * Dot(Unit(p), Unit(z))).Average();
        Assert.Equal(1.0, expected, 10);

        using var p = Matrix(predictions).requires_grad_();
        using var z = Matrix(targets).requires_grad_();
        using var loss = ByolLoss.Compute(p, z);
        Assert.Equal(expected, loss.item<float>(), 5);

        loss.backward();
        Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, "the prediction gets a gradient");
        Assert.True(z.grad is null || z.grad.abs().sum().item<float>() == 0, "the target must not get a gradient (stop-gradient)");
    }

    [Fact]
    public void InfoNceTakesTheKeyAsPositiveAndTheQueueAsNegatives()
    {
        double[][] queries = [[1, 0, 0], [0, 2, 0]];
        double[][] keys = [[1, 1, 0], [0, 1, 1]];
        double[][] queue = [[0, 0, 1], [1, 0, 0], Unit([1, -1, 0])];
        const double t = 0.2;
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            var q = Unit(queries[i]);
            double positive = Math.Exp(Dot(q, Unit(keys[i])) / t);
            double all = positive + queue.Sum(negative => Math.Exp(Dot(q, negative) / t));
            expected += -Math.Log(positive / all);
        }
        expected /= 2;

        using var q1 = Matrix(queries);
        using var k1 = Matrix(keys);
        using var negatives = Matrix(queue);
        using var loss = InfoNceLoss.Compute(q1, k1, negatives, t);
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void VicregTermsMatchTheirDefinitions()
    {
        // N = 3 samples, D = 2 dimensions.
        double[][] x = [[1, 0], [0, 1], [2, 2]];
        double[][] y = [[1, 1], [0, 0], [1, 2]];
        double invariance = x.Zip(y, (a, b) => a.Zip(b, (u, v) => (u - v) * (u - v)).Sum()).Sum() / (3 * 2);

        static double[] Column(double[][] m, int j) => m.Select(r => r[j]).ToArray();
        static double Variance(double[] c) { double mean = c.Average(); return c.Sum(v => (v - mean) * (v - mean)) / (c.Length - 1); }
        static double Hinge(double[][] m) => Enumerable.Range(0, 2).Average(j => Math.Max(0, 1 - Math.Sqrt(Variance(Column(m, j)) + 1e-4)));
        static double OffDiagonal(double[][] m)
        {
            double[] a = Column(m, 0), b = Column(m, 1);
            double ma = a.Average(), mb = b.Average();
            double covariance = a.Zip(b, (u, v) => (u - ma) * (v - mb)).Sum() / 2;
            return 2 * covariance * covariance / 2;   // both off-diagonal entries squared, divided by D
        }
        double variance = (Hinge(x) + Hinge(y)) / 2;
        double covariance = OffDiagonal(x) + OffDiagonal(y);
        Assert.True(variance > 0 && covariance > 0, "the example should exercise every term");

        using var tx = Matrix(x);
        using var ty = Matrix(y);
        using var terms = VicregLoss.ComputeTerms(tx, ty, 25, 25, 1);
        Assert.Equal(invariance, terms.Invariance.item<float>(), 5);
        Assert.Equal(variance, terms.Variance.item<float>(), 5);
        Assert.Equal(covariance, terms.Covariance.item<float>(), 5);
        Assert.Equal(25 * invariance + 25 * variance + covariance, terms.Total.item<float>(), 4);
    }

    [Fact]
    public void VicregVarianceTermPunishesCollapseAndIgnoresSpreadEmbeddings()
    {
        using var collapsed = ones(64, 8);
        using var spread = randn(64, 8, generator: new TorchSharp.torch.Generator(3)) * 3;
        using var onCollapse = VicregLoss.ComputeTerms(collapsed, collapsed, 25, 25, 1);
        using var onSpread = VicregLoss.ComputeTerms(spread, spread, 25, 25, 1);
        Assert.Equal(1 - Math.Sqrt(1e-4), onCollapse.Variance.item<float>(), 5);   // std 0 (√ε with ε = 1e-4) in every dimension
        Assert.Equal(0.0, onSpread.Variance.item<float>(), 3);     // std about 3: no penalty
        Assert.Equal(0.0, onCollapse.Invariance.item<float>(), 6);
    }

    [Fact]
    public void BarlowTwinsTermsMatchTheirDefinitions()
    {
        // N = 4 samples, D = 2 dimensions: standardise each column over the batch (biased), correlate across the views.
        double[][] x = [[1, 0], [0, 1], [2, 2], [3, 0]];
        double[][] y = [[1, 1], [0, 0], [1, 2], [2, 1]];
        static double[][] Standardise(double[][] m) => Enumerable.Range(0, m.Length).Select(i => Enumerable.Range(0, 2).Select(j =>
        {
            double mean = m.Average(r => r[j]), variance = m.Average(r => (r[j] - mean) * (r[j] - mean));
            return (m[i][j] - mean) / Math.Sqrt(variance + 1e-5);
        }).ToArray()).ToArray();
        var zx = Standardise(x);
        var zy = Standardise(y);
        double C(int i, int j) => Enumerable.Range(0, 4).Sum(n => zx[n][i] * zy[n][j]) / 4;
        double onDiagonal = Math.Pow(1 - C(0, 0), 2) + Math.Pow(1 - C(1, 1), 2);
        double offDiagonal = C(0, 1) * C(0, 1) + C(1, 0) * C(1, 0);
        Assert.True(onDiagonal > 0.01 && offDiagonal > 0.01, "the example should exercise both terms");

        using var tx = Matrix(x);
        using var ty = Matrix(y);
        using var terms = BarlowTwinsLoss.ComputeTerms(tx, ty, lambda: 0.5, scale: 0.1);
        Assert.Equal(onDiagonal, terms.OnDiagonal.item<float>(), 5);
        Assert.Equal(offDiagonal, terms.OffDiagonal.item<float>(), 5);
        Assert.Equal(0.1 * (onDiagonal + 0.5 * offDiagonal), terms.Total.item<float>(), 5);
    }

    [Fact]
    public void BarlowTwinsIsZeroForIdenticalDecorrelatedViewsAndPunishesCollapse()
    {
        // Two uncorrelated ±1 columns: their cross-correlation with themselves is the identity.
        double[][] z = [[1, 1], [1, -1], [-1, 1], [-1, -1]];
        using var tz = Matrix(z);
        using var same = BarlowTwinsLoss.ComputeTerms(tz, tz, 0.0051, 1);
        Assert.Equal(0.0, same.Total.item<float>(), 4);
        // Every dimension a copy of one: off-diagonal correlations of 1.
        using var copies = Matrix([[1, 1], [2, 2], [3, 3], [4, 4]]);
        using var redundant = BarlowTwinsLoss.ComputeTerms(copies, copies, 1, 1);
        Assert.Equal(2.0, redundant.OffDiagonal.item<float>(), 3);
    }
}
