using AspireSimClr.Trainer.Engine.Augmentation;
using AspireSimClr.Trainer.Engine.Losses;
using AspireSimClr.Trainer.Engine.Models;
using AspireSimClr.Trainer.Engine.Optimization;
using AspireSimClr.Trainer.Engine.Precision;
using AspireSimClr.Trainer.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine;

/// <summary>
/// One SimCLR optimisation step on a batch of N images: two views each, 2N projections (in the
/// configured precision and memory layout), NT-Xent in fp32, backward, optimiser step.
/// </summary>
public sealed class SimClrStep(SimClrConfig config, SimClrNetwork network, ITrainingOptimizer optimizer, ViewAugmentation augmentation, Device device) : IDisposable
{
    private readonly ITrainingPrecision _precision = TrainingPrecision.Create(config, network, device);

    /// <returns>The loss when <paramref name="readLoss"/> is set (a host synchronisation), otherwise null.</returns>
    public double? Run(Tensor images, Generator generator, bool readLoss = true)
    {
        using var scope = NewDisposeScope();
        var onDevice = images.to(device);
        Tensor views;
        using (no_grad())
        {
            views = cat([augmentation.Apply(onDevice, generator), augmentation.Apply(onDevice, generator)]);
            if (config.ChannelsLast == true) views = MemoryLayout.ToChannelsLast(views);
        }
        optimizer.ZeroGrad();
        var projections = _precision.Project(views);
        var halves = projections.chunk(2);
        var loss = NtXentLoss.Compute(halves[0], halves[1], config.Temperature);
        loss.backward();
        _precision.CollectGradients();
        optimizer.Step();
        return readLoss ? loss.item<float>() : null;
    }

    public void Dispose() => _precision.Dispose();
}
