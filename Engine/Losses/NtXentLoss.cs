using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// NT-Xent (normalised temperature-scaled cross entropy) over the 2N projections of two views:
/// cosine similarities divided by the temperature, each sample's similarity to itself masked out,
/// and the other view of the same image as the positive among the remaining 2N − 1.
/// </summary>
public static class NtXentLoss
{
    public static Tensor Compute(Tensor view1, Tensor view2, double temperature)
    {
        if (!view1.shape.SequenceEqual(view2.shape)) throw new ArgumentException("both views need the same shape");
        long n = view1.shape[0];
        if (n < 2) throw new ArgumentException("NT-Xent needs at least 2 images per batch (one positive, ≥ 1 negative pair)");

        using var scope = NewDisposeScope();
        var z = F.normalize(cat([view1, view2]).to_type(ScalarType.Float32), dim: 1);
        var logits = z.mm(z.t()).div_(temperature);
        var self = eye(2 * n, dtype: ScalarType.Bool, device: z.device);
        logits = logits.masked_fill(self, float.NegativeInfinity);
        var positives = cat([arange(n, 2 * n, device: z.device), arange(0, n, device: z.device)]);
        return F.cross_entropy(logits, positives).MoveToOuterDisposeScope();
    }
}
