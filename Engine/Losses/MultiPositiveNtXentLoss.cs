using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// NT-Xent over V views of N images (multi-crop SimCLR, as solo-learn trains it): for each of the V·N projections, every
/// other view of its image is a positive, and the loss is −log(Σ positives e^{s/τ} / Σ all others e^{s/τ}), averaged.
/// With two views each sample has one positive and this is <see cref="NtXentLoss"/>.
/// </summary>
public static class MultiPositiveNtXentLoss
{
    /// <param name="outputs">Projections of every view, view-major: view v of image i at row v·N + i.</param>
    public static Tensor Compute(Tensor outputs, int views, double temperature)
    {
        long total = outputs.shape[0];
        if (views < 2 || total % views != 0) throw new ArgumentException($"{total} rows are not {views} (≥ 2) views of one batch");
        long n = total / views;
        if (n < 2) throw new ArgumentException("NT-Xent needs at least 2 images per batch (one positive, ≥ 1 negative pair)");

        using var scope = NewDisposeScope();
        var z = F.normalize(outputs.to_type(ScalarType.Float32), dim: 1);
        var logits = z.mm(z.t()).div_(temperature);
        var self = eye(total, dtype: ScalarType.Bool, device: z.device);
        var image = arange(total, device: z.device).remainder(n);
        var positives = image.unsqueeze(1).eq(image.unsqueeze(0)).logical_and_(self.logical_not());
        var others = logits.masked_fill(self, float.NegativeInfinity).logsumexp(1);
        var matching = logits.masked_fill(positives.logical_not(), float.NegativeInfinity).logsumexp(1);
        return others.sub(matching).mean().MoveToOuterDisposeScope();
    }
}
