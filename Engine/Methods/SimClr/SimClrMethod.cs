using AspireSimClr.Engine.Losses;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.SimClr;

/// <summary>
/// SimCLR (Chen et al. 2020): two views of each image through encoder and projection head, NT-Xent
/// over the 2N projections with each sample's other view as its positive. With small crops, every
/// other view of the same image is a positive (<see cref="MultiPositiveNtXentLoss"/>, solo-learn's multi-crop SimCLR).
/// </summary>
public sealed class SimClrMethod(TrainingConfig config, Device device) : ProjectionMethod(config, device)
{
    protected override Tensor Loss(Tensor view1, Tensor view2) => NtXentLoss.Compute(view1, view2, Config.Temperature);

    protected override Tensor MultiCropLoss(MethodBatch batch) =>
        MultiPositiveNtXentLoss.Compute(batch.Outputs, batch.ViewCount, Config.Temperature);
}
