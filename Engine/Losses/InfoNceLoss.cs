using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// MoCo's InfoNCE: each query's positive is its key (the other view through the momentum encoder),
/// its negatives are the queued keys of earlier batches; cross entropy over [positive, negatives]
/// divided by the temperature. Keys and queue carry no gradient; the queue is L2-normalised.
/// </summary>
public static class InfoNceLoss
{
    public static Tensor Compute(Tensor queries, Tensor keys, Tensor queue, double temperature)
    {
        if (!queries.shape.SequenceEqual(keys.shape)) throw new ArgumentException("queries and keys need the same shape");
        using var scope = NewDisposeScope();
        var q = F.normalize(queries.to_type(ScalarType.Float32), dim: 1);
        var k = F.normalize(keys.to_type(ScalarType.Float32).detach(), dim: 1);
        var positive = (q * k).sum(1, keepdim: true);
        var negatives = q.mm(queue.detach().t());
        var logits = cat([positive, negatives], 1).div_(temperature);
        var labels = zeros(q.shape[0], dtype: ScalarType.Int64, device: q.device);
        return F.cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }
}
