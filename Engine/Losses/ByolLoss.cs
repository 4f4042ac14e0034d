using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// BYOL's regression loss: 2 − 2·cos(p, z) between the online prediction p of one view and the
/// target projection z of the other, averaged over the batch. z carries no gradient.
/// </summary>
public static class ByolLoss
{
    public static Tensor Compute(Tensor prediction, Tensor targetProjection)
    {
        if (!prediction.shape.SequenceEqual(targetProjection.shape)) throw new ArgumentException("prediction and target need the same shape");
        using var scope = NewDisposeScope();
        var p = F.normalize(prediction.to_type(ScalarType.Float32), dim: 1);
        var z = F.normalize(targetProjection.to_type(ScalarType.Float32).detach(), dim: 1);
        return (2 - 2 * (p * z).sum(1)).mean().MoveToOuterDisposeScope();
    }
}
