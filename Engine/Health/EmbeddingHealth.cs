using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Health;

/// <summary>
/// Label-free signs of whether a self-supervised run is learning, measured on one batch's embeddings
/// of two views (what the loss compares), as lightly and the SSL literature use them:
/// <list type="bullet">
/// <item><see cref="NormalizedStd"/>: the mean per-dimension standard deviation of the L2-normalised
/// embeddings; about 1/√d (<see cref="UniformStd"/>) when they spread over the sphere, 0 when they collapse to a point.</item>
/// <item><see cref="EffectiveRank"/>: RankMe (Garrido et al. 2023), exp of the entropy of the normalised
/// singular values; 1 for a collapsed batch, up to min(N, d).</item>
/// <item><see cref="PositiveCosine"/> and <see cref="NegativeCosine"/>: mean cosine between the two views of
/// the same image, and between views of different images.</item>
/// <item><see cref="Alignment"/> and <see cref="Uniformity"/> (Wang and Isola 2020): mean squared distance
/// between positives (lower is better), and log of the mean Gaussian potential between different
/// images' embeddings, t = 2 (lower is more uniform; 0 when collapsed).</item>
/// </list>
/// </summary>
public sealed record EmbeddingHealth(int Dimensions, double NormalizedStd, double EffectiveRank, double PositiveCosine, double NegativeCosine, double Alignment, double Uniformity)
{
    /// <summary>1/√d, the standard deviation per dimension of points spread uniformly over the unit sphere.</summary>
    public double UniformStd => 1 / Math.Sqrt(Dimensions);

    /// <summary>Measures two views' embeddings [N, d] (any precision; computed in fp32 without gradients).</summary>
    public static EmbeddingHealth Measure(Tensor view1, Tensor view2)
    {
        if (!view1.shape.SequenceEqual(view2.shape) || view1.dim() != 2) throw new ArgumentException("two views of the same shape [N, d] are needed");
        long n = view1.shape[0], d = view1.shape[1];
        if (n < 2) throw new ArgumentException("at least two images are needed");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z1 = F.normalize(view1.detach().to_type(ScalarType.Float32), dim: 1);
        var z2 = F.normalize(view2.detach().to_type(ScalarType.Float32), dim: 1);

        double std = z1.std(0).mean().item<float>();

        var singular = linalg.svdvals(z1);
        var p = singular / singular.sum() + 1e-7;
        double rank = Math.Exp(-(p * p.log()).sum().item<float>());

        var cosines = z1.mm(z2.t());
        double positive = cosines.diagonal().mean().item<float>();
        var offDiagonal = ones(n, n, dtype: ScalarType.Bool, device: z1.device).logical_xor_(eye(n, dtype: ScalarType.Bool, device: z1.device));
        double negative = cosines.masked_select(offDiagonal).mean().item<float>();

        double alignment = (z1 - z2).pow(2).sum(1).mean().item<float>();
        // ‖zi − zj‖² = 2 − 2 zi·zj on the unit sphere.
        var squared = (2 - 2 * z1.mm(z1.t())).masked_select(offDiagonal);
        double uniformity = (squared * -2).exp().mean().log().item<float>();
        return new EmbeddingHealth((int)d, std, rank, positive, negative, alignment, uniformity);
    }
}
