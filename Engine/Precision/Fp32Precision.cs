using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Precision;

/// <summary>Everything in fp32 on the network itself.</summary>
public sealed class Fp32Precision(OnlineNetwork network) : ITrainingPrecision
{
    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs) => [.. inputs.Select(network.forward)];

    public void CollectGradients() { }

    public void Dispose() { }
}
