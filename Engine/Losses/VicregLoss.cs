using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// VICReg (Bardes et al. 2022) on two views' embeddings [N, D]: invariance (mean squared distance
/// between the views), variance (a hinge keeping each dimension's standard deviation above 1, per
/// view, averaged) and covariance (squared off-diagonal covariances divided by D, summed over the
/// views), weighted λ, μ, ν.
/// </summary>
public static class VicregLoss
{
    public sealed record Terms(Tensor Total, Tensor Invariance, Tensor Variance, Tensor Covariance) : IDisposable
    {
        public void Dispose()
        {
            Total.Dispose();
            Invariance.Dispose();
            Variance.Dispose();
            Covariance.Dispose();
        }
    }

    public static Tensor Compute(Tensor view1, Tensor view2, double invarianceWeight, double varianceWeight, double covarianceWeight)
    {
        using var terms = ComputeTerms(view1, view2, invarianceWeight, varianceWeight, covarianceWeight);
        return terms.Total.alias();
    }

    public static Terms ComputeTerms(Tensor view1, Tensor view2, double invarianceWeight, double varianceWeight, double covarianceWeight)
    {
        if (!view1.shape.SequenceEqual(view2.shape)) throw new ArgumentException("both views need the same shape");
        if (view1.shape[0] < 2) throw new ArgumentException("VICReg's variance and covariance need at least 2 samples");
        using var scope = NewDisposeScope();
        var x = view1.to_type(ScalarType.Float32);
        var y = view2.to_type(ScalarType.Float32);
        var invariance = F.mse_loss(x, y);
        var variance = (StdHinge(x) + StdHinge(y)) / 2;
        var covariance = OffDiagonalCovariance(x) + OffDiagonalCovariance(y);
        var total = invarianceWeight * invariance + varianceWeight * variance + covarianceWeight * covariance;
        return new Terms(total.MoveToOuterDisposeScope(), invariance.MoveToOuterDisposeScope(),
            variance.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    private static Tensor StdHinge(Tensor z)
    {
        var std = (z.var(0) + 1e-4).sqrt();
        return F.relu(1 - std).mean();
    }

    private static Tensor OffDiagonalCovariance(Tensor z)
    {
        long n = z.shape[0], d = z.shape[1];
        var centred = z - z.mean([0], keepdim: true);
        var covariance = centred.t().mm(centred) / (n - 1);
        var offDiagonal = covariance.masked_fill(eye(d, dtype: ScalarType.Bool, device: z.device), 0);
        return offDiagonal.pow(2).sum() / d;
    }
}
