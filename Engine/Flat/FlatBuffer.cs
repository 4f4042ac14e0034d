using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Flat;

/// <summary>Where one tensor lives inside a <see cref="FlatBuffer"/>.</summary>
public sealed record FlatSlice(string Name, FlatBuffer Buffer, long Offset, long Length, int Dimensions);

/// <summary>
/// Tensors of one dtype and device stored back to back in a single 1-D buffer, each tensor a view into
/// it (its storage replaced with <c>set_</c>), and for parameters their gradients likewise: a view of
/// <see cref="Gradients"/> that backward accumulates into in place. What was one operation per tensor
/// (a copy, zeroing, an optimiser's update) becomes one operation on the buffer.
/// </summary>
public sealed class FlatBuffer : IDisposable
{
    private static long _created;
    private readonly List<FlatSlice> _slices = [];

    private FlatBuffer(Tensor values, Tensor? gradients)
    {
        Values = values;
        Gradients = gradients;
    }

    /// <summary>Every element, 1-D, in slice order.</summary>
    public Tensor Values { get; }

    /// <summary>The parameters' gradients, 1-D and laid out as <see cref="Values"/>; null for buffers.</summary>
    public Tensor? Gradients { get; }

    public IReadOnlyList<FlatSlice> Slices => _slices;

    public long Length => Values.shape[0];

    /// <summary>Tells buffers apart in a stable order (for sorting tensors by where they live).</summary>
    public long Id { get; } = Interlocked.Increment(ref _created);

    public bool IsDisposed { get; private set; }

    /// <summary>
    /// Moves <paramref name="tensors"/> (one dtype, one device, each contiguous) into a new buffer in the
    /// order given, keeping their values; with <paramref name="gradients"/> each (a parameter) also gets a
    /// zeroed gradient view.
    /// </summary>
    public static FlatBuffer Adopt(IReadOnlyList<(string Name, Tensor Tensor)> tensors, bool gradients)
    {
        if (tensors.Count == 0) throw new ArgumentException("Nothing to adopt.", nameof(tensors));
        var first = tensors[0].Tensor;
        foreach (var (name, tensor) in tensors)
            if (tensor.dtype != first.dtype || tensor.device_type != first.device_type || tensor.device_index != first.device_index)
                throw new ArgumentException($"{name} is {tensor.dtype} on {tensor.device}, the buffer {first.dtype} on {first.device}.");
        long total = tensors.Sum(t => t.Tensor.numel());
        var buffer = new FlatBuffer(
            empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope(),
            gradients ? zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope() : null);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            long length = tensor.numel();
            var shape = tensor.shape;
            using (var view = buffer.Values.narrow(0, offset, length).view(shape))
            {
                view.copy_(tensor);
                tensor.set_(view);
            }
            if (gradients)
            {
                if (tensor is not Parameter parameter) throw new ArgumentException($"{name} is not a parameter; only parameters get gradients.");
                using var gradient = buffer.Gradients!.narrow(0, offset, length).view(shape);
                parameter.grad = gradient;
            }
            var slice = new FlatSlice(name, buffer, offset, length, shape.Length);
            buffer._slices.Add(slice);
            FlatRegistry.Register(tensor, slice);
            offset += length;
        }
        return buffer;
    }

    /// <summary>A 1-D view of <paramref name="length"/> values from <paramref name="offset"/>.</summary>
    public Tensor ValuesAt(long offset, long length) => Values.narrow(0, offset, length);

    /// <summary>A 1-D view of <paramref name="length"/> gradients from <paramref name="offset"/>.</summary>
    public Tensor GradientsAt(long offset, long length) =>
        (Gradients ?? throw new InvalidOperationException("This buffer holds no gradients.")).narrow(0, offset, length);

    public void Dispose()
    {
        IsDisposed = true;
        Values.Dispose();
        Gradients?.Dispose();
    }
}
