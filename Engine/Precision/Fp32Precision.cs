using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Precision;

/// <summary>Everything in fp32 on the network itself.</summary>
public sealed class Fp32Precision(OnlineNetwork network) : ITrainingPrecision
{
    public Tensor Forward(Tensor input) => network.forward(input);

    public void CollectGradients() { }

    public void Dispose() { }
}
