using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Methods.MocoV2;

/// <summary>
/// MoCo's dictionary: a ring buffer of the most recent L2-normalised keys, the negatives of later
/// batches. It starts as random unit vectors, as in the paper, and is saved in checkpoints.
/// </summary>
public sealed class KeyQueue : IDisposable
{
    private readonly Tensor _keys;
    private long _next;

    public KeyQueue(int size, int dimension, Device device)
    {
        using var random = randn(size, dimension);
        using var unit = F.normalize(random, dim: 1);
        _keys = unit.to(device);
    }

    /// <summary>[size, dimension], the current negatives.</summary>
    public Tensor Keys => _keys;

    /// <summary>Replaces the oldest keys with <paramref name="keys"/> (normalised here); more keys than the queue holds keep the newest.</summary>
    public void Enqueue(Tensor keys)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long size = _keys.shape[0];
        var normalised = F.normalize(keys.detach().to_type(ScalarType.Float32), dim: 1);
        if (normalised.shape[0] > size) normalised = normalised.narrow(0, normalised.shape[0] - size, size);
        long count = normalised.shape[0];
        long first = Math.Min(count, size - _next);
        _keys.narrow(0, _next, first).copy_(normalised.narrow(0, 0, first));
        if (count > first) _keys.narrow(0, 0, count - first).copy_(normalised.narrow(0, first, count - first));
        _next = (_next + count) % size;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_next);
        using var host = _keys.cpu();
        host.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        long next = reader.ReadInt64();
        using var host = Tensor.Load(reader);
        if (!host.shape.SequenceEqual(_keys.shape))
            throw new InvalidDataException($"The checkpoint's key queue is [{string.Join(", ", host.shape)}], this run's is [{string.Join(", ", _keys.shape)}].");
        using var noGrad = no_grad();
        _keys.copy_(host);
        _next = next;
    }

    public void Dispose() => _keys.Dispose();
}
