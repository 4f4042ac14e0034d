using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Precision;

/// <summary>
/// The numeric precision of a network's forward and backward pass. The optimiser always updates the
/// fp32 network; an implementation may compute on a lower-precision copy of it.
/// </summary>
public interface ITrainingPrecision : IDisposable
{
    /// <summary>
    /// The network's outputs for each input (views of one size each) as fp32, differentiable back to whatever network
    /// computed them, with one set of weights for all of them.
    /// </summary>
    IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>After backward: leaves the gradients on the fp32 network's parameters, ready for the optimiser.</summary>
    void CollectGradients();
}

public static class TrainingPrecision
{
    /// <param name="createTwin">Builds an untrained network of <paramref name="network"/>'s architecture (for a lower-precision copy).</param>
    public static ITrainingPrecision Create(string precision, OnlineNetwork network, Func<OnlineNetwork> createTwin, Device device) => precision switch
    {
        PrecisionNames.Bf16 => new Bf16MasterWeights(network, createTwin(), device),
        PrecisionNames.Fp32 => new Fp32Precision(network),
        _ => throw new InvalidOperationException($"Precision '{precision}' must be resolved (RuntimeChoice) before training."),
    };
}
