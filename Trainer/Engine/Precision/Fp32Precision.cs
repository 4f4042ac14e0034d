using AspireSimClr.Trainer.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Precision;

/// <summary>Everything in fp32 on the network itself.</summary>
public sealed class Fp32Precision(SimClrNetwork network) : ITrainingPrecision
{
    public Tensor Project(Tensor views) => network.forward(views);

    public void CollectGradients() { }

    public void Dispose() { }
}
