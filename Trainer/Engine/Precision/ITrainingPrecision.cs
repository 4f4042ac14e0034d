using AspireSimClr.Trainer.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Precision;

/// <summary>
/// The numeric precision of a training step's forward and backward pass. The optimiser always
/// updates the fp32 network; an implementation may compute on a lower-precision copy of it.
/// </summary>
public interface ITrainingPrecision : IDisposable
{
    /// <summary>Projections g(f(views)) as fp32, differentiable back to whatever network computed them.</summary>
    Tensor Project(Tensor views);

    /// <summary>After backward: leaves the gradients on the fp32 network's parameters, ready for the optimiser.</summary>
    void CollectGradients();
}

public static class TrainingPrecision
{
    public static ITrainingPrecision Create(SimClrConfig config, SimClrNetwork network, Device device) => config.Precision switch
    {
        PrecisionNames.Bf16 => new Bf16MasterWeights(config, network, device),
        PrecisionNames.Fp32 => new Fp32Precision(network),
        _ => throw new InvalidOperationException($"Precision '{config.Precision}' must be resolved (RuntimeChoice) before training."),
    };
}
