using static TorchSharp.torch;

namespace AspireSimClr.Engine.Flat;

/// <summary>
/// Pairs of tensors (a source and its copy, a network and its moving average) as few pairs of 1-D views
/// as their layout allows: tensors that lie back to back in flat buffers on both sides merge into one
/// run, so work on all the pairs costs one operation per run. Tensors outside flat buffers stay pairs of
/// their own. The views live as long as this object.
/// </summary>
public sealed class FlatRuns : IDisposable
{
    private readonly List<(Tensor A, Tensor B)> _values = [];
    private readonly List<(Tensor A, Tensor B)> _gradients = [];

    /// <param name="withGradients">Also pair the gradients (both sides must then be parameters in flat buffers).</param>
    public FlatRuns(IEnumerable<(Tensor A, Tensor B)> pairs, bool withGradients = false)
    {
        Run? open = null;
        // In A's flat order, so that neighbours on both sides meet; the work done on pairs does not depend on their order.
        var ordered = pairs.Select(p => (p.A, p.B, Slice: FlatRegistry.Locate(p.A)))
            .OrderBy(p => p.Slice is null ? 1 : 0).ThenBy(p => p.Slice?.Buffer.Id ?? 0).ThenBy(p => p.Slice?.Offset ?? 0);
        foreach (var (a, b, _) in ordered)
        {
            if (a.numel() != b.numel()) throw new ArgumentException($"Paired tensors of {a.numel()} and {b.numel()} elements.");
            if (FlatRegistry.Locate(a) is { } sliceA && FlatRegistry.Locate(b) is { } sliceB)
            {
                if (open is { } run && run.A == sliceA.Buffer && run.B == sliceB.Buffer
                    && run.OffsetA + run.Length == sliceA.Offset && run.OffsetB + run.Length == sliceB.Offset)
                {
                    open = run with { Length = run.Length + sliceA.Length };
                    continue;
                }
                Close(open, withGradients);
                open = new Run(sliceA.Buffer, sliceA.Offset, sliceB.Buffer, sliceB.Offset, sliceA.Length);
                continue;
            }
            if (withGradients) throw new ArgumentException("Gradients pair only between parameters in flat buffers.");
            Close(open, withGradients);
            open = null;
            _values.Add((a.detach().DetachFromDisposeScope(), b.detach().DetachFromDisposeScope()));
        }
        Close(open, withGradients);
    }

    /// <summary>The value runs, as (A, B) views of equal length.</summary>
    public IReadOnlyList<(Tensor A, Tensor B)> Values => _values;

    /// <summary>The gradient runs, laid out as <see cref="Values"/>.</summary>
    public IReadOnlyList<(Tensor A, Tensor B)> Gradients => _gradients;

    /// <summary>B ← A for every run (casting where the dtypes differ).</summary>
    public void CopyValuesToB()
    {
        foreach (var (a, b) in _values) b.copy_(a);
    }

    /// <summary>A ← B for every run.</summary>
    public void CopyValuesToA()
    {
        foreach (var (a, b) in _values) a.copy_(b);
    }

    private void Close(Run? run, bool withGradients)
    {
        if (run is not { } r) return;
        _values.Add((r.A.ValuesAt(r.OffsetA, r.Length).DetachFromDisposeScope(), r.B.ValuesAt(r.OffsetB, r.Length).DetachFromDisposeScope()));
        if (withGradients)
            _gradients.Add((r.A.GradientsAt(r.OffsetA, r.Length).DetachFromDisposeScope(), r.B.GradientsAt(r.OffsetB, r.Length).DetachFromDisposeScope()));
    }

    public void Dispose()
    {
        foreach (var (a, b) in _values.Concat(_gradients))
        {
            a.Dispose();
            b.Dispose();
        }
    }

    private readonly record struct Run(FlatBuffer A, long OffsetA, FlatBuffer B, long OffsetB, long Length);
}
