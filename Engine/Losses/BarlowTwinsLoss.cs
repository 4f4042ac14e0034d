using static TorchSharp.torch;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// Barlow Twins (Zbontar et al. 2021) on two views' embeddings [N, D]: each dimension is standardised over the batch (mean 0,
/// biased standard deviation 1, as a batch norm without affine parameters), the D × D cross-correlation C = z₁ᵀz₂ / N is pushed
/// to the identity: Σᵢ (1 − Cᵢᵢ)² (invariance) + λ Σᵢ≠ⱼ Cᵢⱼ² (redundancy reduction), times a scale (solo-learn's
/// <c>scale_loss</c>, which keeps the loss in a range LARS's learning rates suit).
/// </summary>
public static class BarlowTwinsLoss
{
    private const double Epsilon = 1e-5;

    public sealed record Terms(Tensor Total, Tensor OnDiagonal, Tensor OffDiagonal) : IDisposable
    {
        public void Dispose()
        {
            Total.Dispose();
            OnDiagonal.Dispose();
            OffDiagonal.Dispose();
        }
    }

    public static Tensor Compute(Tensor view1, Tensor view2, double lambda, double scale)
    {
        using var terms = ComputeTerms(view1, view2, lambda, scale);
        return terms.Total.alias();
    }

    public static Terms ComputeTerms(Tensor view1, Tensor view2, double lambda, double scale)
    {
        if (!view1.shape.SequenceEqual(view2.shape)) throw new ArgumentException("both views need the same shape");
        if (view1.shape[0] < 2) throw new ArgumentException("Barlow Twins standardises over the batch: it needs at least 2 samples");
        using var scope = NewDisposeScope();
        long n = view1.shape[0], d = view1.shape[1];
        var correlation = Standardised(view1).t().mm(Standardised(view2)) / n;
        var diagonal = correlation.diagonal();
        var onDiagonal = (diagonal - 1).pow(2).sum();
        var offDiagonal = correlation.pow(2).sum() - diagonal.pow(2).sum();
        var total = scale * (onDiagonal + lambda * offDiagonal);
        return new Terms(total.MoveToOuterDisposeScope(), onDiagonal.MoveToOuterDisposeScope(), offDiagonal.MoveToOuterDisposeScope());
    }

    private static Tensor Standardised(Tensor z)
    {
        var x = z.to_type(ScalarType.Float32);
        var centred = x - x.mean([0], keepdim: true);
        return centred / (centred.pow(2).mean([0], keepdim: true) + Epsilon).sqrt();
    }
}
