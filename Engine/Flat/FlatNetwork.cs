using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Flat;

/// <summary>
/// A network whose parameters (with their gradients, when it is trained) and whose buffers live in flat
/// buffers, one per dtype. Parameters are ordered for the jobs done on them whole: weight matrices and kernels
/// first (LARS adapts and decays these), then other 1-d parameters, then normalisation parameters (which a
/// bf16 copy keeps in fp32), each group in module order. Adopt after the network has its final device
/// and dtypes: moving or casting a module afterwards replaces its tensors and leaves the buffers behind.
/// </summary>
public sealed class FlatNetwork : IDisposable
{
    private FlatNetwork(IReadOnlyList<FlatBuffer> parameters, IReadOnlyList<FlatBuffer> buffers, IReadOnlyList<(FlatSlice Slice, Parameter Parameter)> inModuleOrder)
    {
        Parameters = parameters;
        Buffers = buffers;
        ParametersInModuleOrder = inModuleOrder;
    }

    /// <summary>The parameters, one buffer per dtype, with gradients when adopted for training.</summary>
    public IReadOnlyList<FlatBuffer> Parameters { get; }

    /// <summary>Every parameter with its slice, in the module's own order (the order of checkpoints and optimiser files).</summary>
    public IReadOnlyList<(FlatSlice Slice, Parameter Parameter)> ParametersInModuleOrder { get; }

    /// <summary>Running statistics and counters, one buffer per dtype.</summary>
    public IReadOnlyList<FlatBuffer> Buffers { get; }

    /// <summary>The parameters when they share one dtype (a network the optimiser updates).</summary>
    public FlatBuffer SingleParameterBuffer => Parameters.Count == 1
        ? Parameters[0]
        : throw new InvalidOperationException($"The parameters span {Parameters.Count} dtypes; an optimiser needs them in one.");

    /// <param name="gradients">Give every parameter a gradient view (a network that backward reaches).</param>
    public static FlatNetwork Adopt(nn.Module network, bool gradients = true)
    {
        var normalisation = network.named_modules()
            .Where(m => m.module is NormBase or LayerNorm or GroupNorm)
            .Select(m => m.name + ".")
            .ToList();
        var parameters = network.named_parameters()
            .Select((p, index) => (p.name, Tensor: (Tensor)p.parameter, index, Group: Group(p.name, p.parameter, normalisation)))
            .OrderBy(p => p.Group).ThenBy(p => p.index)
            .Select(p => (p.name, p.Tensor))
            .ToList();
        var buffers = network.named_buffers().Select(b => (b.name, Tensor: b.buffer)).ToList();
        var flat = new FlatNetwork(ByDtype(parameters, gradients), ByDtype(buffers, gradients: false),
            network.parameters().Select(p => (FlatRegistry.Locate(p)!, p)).ToList());
        return flat;
    }

    public bool HasGradients => Parameters.Any(p => p.Gradients is not null);

    /// <summary>Whether every parameter of <paramref name="network"/> lives in a flat buffer.</summary>
    public static bool IsAdopted(nn.Module network) => network.parameters().All(p => FlatRegistry.Locate(p) is not null);

    /// <summary>Zeroes every gradient, one operation per dtype.</summary>
    public void ZeroGradients()
    {
        foreach (var buffer in Parameters) buffer.Gradients?.zero_();
    }

    private static int Group(string name, Parameter parameter, List<string> normalisation) =>
        normalisation.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) ? 2 : parameter.dim() > 1 ? 0 : 1;

    private static List<FlatBuffer> ByDtype(List<(string Name, Tensor Tensor)> tensors, bool gradients) =>
        tensors.GroupBy(t => t.Tensor.dtype).Select(group => FlatBuffer.Adopt(group.ToList(), gradients)).ToList();

    public void Dispose()
    {
        foreach (var buffer in Parameters.Concat(Buffers)) buffer.Dispose();
    }
}
