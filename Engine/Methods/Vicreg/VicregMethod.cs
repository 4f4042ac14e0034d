using AspireSimClr.Engine.Losses;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.Vicreg;

/// <summary>
/// VICReg (Bardes et al. 2022): two views through encoder and expander (the projection head), with
/// variance, invariance and covariance terms on the embeddings; no negatives, no target network.
/// </summary>
public sealed class VicregMethod(TrainingConfig config, Device device) : ProjectionMethod(config, device)
{
    protected override Tensor Loss(Tensor view1, Tensor view2) =>
        VicregLoss.Compute(view1, view2, Config.VicregInvarianceWeight, Config.VicregVarianceWeight, Config.VicregCovarianceWeight);
}
