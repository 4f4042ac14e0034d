using AspireSimClr.Trainer.Engine.Augmentation;
using AspireSimClr.Trainer.Engine.Losses;
using AspireSimClr.Trainer.Engine.Models;
using AspireSimClr.Trainer.Engine.Optimization;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine;

/// <summary>One SimCLR optimisation step on a batch of N images: two views each, 2N projections, NT-Xent.</summary>
public static class SimClrStep
{
    /// <returns>The loss when <paramref name="readLoss"/> is set (a host synchronisation), otherwise null.</returns>
    public static double? Run(SimClrNetwork network, ITrainingOptimizer optimizer, ViewAugmentation augmentation, Tensor images,
        Device device, Generator generator, double temperature, bool readLoss = true)
    {
        using var scope = NewDisposeScope();
        var onDevice = images.to(device);
        Tensor views;
        using (no_grad())
        {
            views = cat([augmentation.Apply(onDevice, generator), augmentation.Apply(onDevice, generator)]);
        }
        optimizer.ZeroGrad();
        var projections = network.forward(views);
        var halves = projections.chunk(2);
        var loss = NtXentLoss.Compute(halves[0], halves[1], temperature);
        loss.backward();
        optimizer.Step();
        return readLoss ? loss.item<float>() : null;
    }
}
