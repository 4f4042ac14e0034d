using AspireSimClr.Engine.Losses;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.BarlowTwins;

/// <summary>
/// Barlow Twins (Zbontar et al. 2021): two views through encoder and projector, the cross-correlation of their standardised
/// embeddings pushed to the identity; no negatives, no target network, no predictor.
/// </summary>
public sealed class BarlowTwinsMethod(TrainingConfig config, Device device) : ProjectionMethod(config, device)
{
    protected override Tensor Loss(Tensor view1, Tensor view2) =>
        BarlowTwinsLoss.Compute(view1, view2, Config.BarlowTwinsLambda, Config.BarlowTwinsScale);
}
