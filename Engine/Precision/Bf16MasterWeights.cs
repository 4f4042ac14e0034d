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
/// </summary>
public sealed class Bf16MasterWeights : ITrainingPrecision
{
    private readonly OnlineNetwork _working;
    private readonly (Parameter Master, Parameter Working)[] _parameters;
    private readonly (Tensor Master, Tensor Working)[] _buffers;

    /// <param name="working">A network of <paramref name="master"/>'s architecture; this object owns it.</param>
    public Bf16MasterWeights(OnlineNetwork master, OnlineNetwork working, Device device)
    {
        _working = working;
        _working.to(device).to(ScalarType.BFloat16);
        foreach (var (_, module) in _working.named_modules())
            if (module is BatchNorm1d or BatchNorm2d) module.to(ScalarType.Float32);
        _working.train(master.training);
        _parameters = Pair(master.named_parameters(), _working.named_parameters());
        _buffers = Pair(master.named_buffers(), _working.named_buffers());
    }

    public Tensor Forward(Tensor input)
    {
        using (no_grad())
        {
            foreach (var (master, working) in _parameters) working.copy_(master);
            foreach (var (master, working) in _buffers) working.copy_(master);
        }
        return _working.forward(input.to_type(ScalarType.BFloat16)).to_type(ScalarType.Float32);
    }

    public void CollectGradients()
    {
        using var noGrad = no_grad();
        foreach (var (master, working) in _parameters)
        {
            if (working.grad is not { } gradient) continue;
            if (master.grad is { } existing) existing.copy_(gradient);
            // copy: the fp32 batch-norm parameters' gradients are already fp32, and without a copy the
            // master would hold the working gradient itself, which the zero_ below clears.
            else master.grad = gradient.to_type(ScalarType.Float32, copy: true);
            gradient.zero_();
        }
        foreach (var (master, working) in _buffers) master.copy_(working);
    }

    public void Dispose() => _working.Dispose();

    private static (T Master, T Working)[] Pair<T>(IEnumerable<(string Name, T Tensor)> master, IEnumerable<(string Name, T Tensor)> working) where T : Tensor
    {
        var byName = working.ToDictionary(p => p.Name, p => p.Tensor);
        return master.Select(p => (p.Tensor, byName[p.Name])).ToArray();
    }
}
