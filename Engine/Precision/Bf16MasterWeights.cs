using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Precision;

/// <summary>
/// bfloat16 compute with fp32 master weights, the scheme of mixed-precision training without
/// autocast (which TorchSharp lacks): a bf16 copy of the network runs forward and backward; before
/// each step it takes the fp32 weights and batch-norm statistics, afterwards its gradients are copied
/// (as fp32) to the fp32 network and its updated batch-norm statistics go back. As under autocast,
/// batch normalisation stays fp32 (bf16 input, fp32 affine weights and running statistics, whose
/// small momentum updates bf16's 8-bit significand would round away). The loss, the optimiser
/// state, checkpoints and evaluation stay fp32, so a checkpoint does not depend on the precision used.
/// Both networks live in flat buffers (<see cref="FlatNetwork"/>), so each copy is one operation per
/// dtype rather than one per tensor.
/// </summary>
public sealed class Bf16MasterWeights : ITrainingPrecision
{
    private readonly OnlineNetwork _working;
    private readonly FlatNetwork _workingBuffers;
    private readonly FlatNetwork? _masterBuffers;
    private readonly FlatRuns _parameters;
    private readonly FlatRuns _buffers;
    private readonly bool _gradients;

    /// <param name="master">The fp32 network; adopted into flat buffers here unless it already is.</param>
    /// <param name="working">A network of <paramref name="master"/>'s architecture; this object owns it.</param>
    public Bf16MasterWeights(OnlineNetwork master, OnlineNetwork working, Device device)
    {
        _working = working;
        _working.to(device).to(ScalarType.BFloat16);
        foreach (var (_, module) in _working.named_modules())
            if (module is BatchNorm1d or BatchNorm2d) module.to(ScalarType.Float32);
        _working.train(master.training);
        if (!FlatNetwork.IsAdopted(master)) _masterBuffers = FlatNetwork.Adopt(master);
        _gradients = master.parameters().All(p => FlatRegistry.Locate(p)!.Buffer.Gradients is not null);
        _workingBuffers = FlatNetwork.Adopt(_working, _gradients);
        _parameters = new FlatRuns(Pair(master.named_parameters(), _working.named_parameters()), withGradients: _gradients);
        _buffers = new FlatRuns(Pair(master.named_buffers(), _working.named_buffers()));
    }

    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs)
    {
        using (no_grad())
        {
            _parameters.CopyValuesToB();
            _buffers.CopyValuesToB();
        }
        return [.. inputs.Select(input => _working.forward(input.to_type(ScalarType.BFloat16)).to_type(ScalarType.Float32))];
    }

    public void CollectGradients()
    {
        using var noGrad = no_grad();
        if (_gradients)
        {
            foreach (var (master, working) in _parameters.Gradients) master.copy_(working);
            _workingBuffers.ZeroGradients();
        }
        _buffers.CopyValuesToA();
    }

    public void Dispose()
    {
        _parameters.Dispose();
        _buffers.Dispose();
        _workingBuffers.Dispose();
        _masterBuffers?.Dispose();
        _working.Dispose();
    }

    private static IEnumerable<(Tensor Master, Tensor Working)> Pair<T>(IEnumerable<(string Name, T Tensor)> master, IEnumerable<(string Name, T Tensor)> working) where T : Tensor
    {
        var byName = working.ToDictionary(p => p.Name, p => p.Tensor);
        return master.Select(p => ((Tensor)p.Tensor, (Tensor)byName[p.Name]));
    }
}
