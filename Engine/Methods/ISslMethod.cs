using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods;

/// <summary>
/// A self-supervised method: the network it trains, the views it sees, what it minimises and what
/// it keeps beside the network (a momentum target, a queue). The training loop, precision,
/// optimiser, schedule, checkpoints and evaluation are shared by every method.
/// </summary>
public interface ISslMethod : IDisposable
{
    /// <summary>The network the optimiser updates; its encoder is what evaluation, embedding and export use.</summary>
    OnlineNetwork Online { get; }

    /// <summary>
    /// The augmentation settings of each view, in order: a batch of N images becomes (views × N) samples. A view's
    /// <see cref="TrainingConfig.ImageSize"/> is its side in pixels: the full-size views come first, smaller crops
    /// (multi-crop) after them; consecutive views of one size go through the network together.
    /// </summary>
    IReadOnlyList<TrainingConfig> Views { get; }

    /// <summary>The loss to minimise for one batch, a differentiable fp32 scalar.</summary>
    Tensor Loss(MethodBatch batch);

    /// <summary>
    /// Between backward and the optimiser's step, on the gradients the optimiser reads (fp32; in bf16 the master weights'):
    /// clipping them, or zeroing a layer's to hold it still (DINO freezes its last layer for the first epoch). Nothing by default.
    /// </summary>
    void BeforeOptimizerStep(TrainingProgress progress) { }

    /// <summary>After the optimiser's step: momentum updates, queues. Runs without gradients.</summary>
    void AfterStep(TrainingProgress progress);

    /// <summary>What the method keeps beside the online network, appended to a checkpoint after the optimiser's state.</summary>
    void SaveState(BinaryWriter writer);

    void LoadState(BinaryReader reader);
}

/// <param name="FullSizeViews">The views at the image size (at the epoch's side under progressive resolution), view-major (view v of image i at v × <paramref name="Images"/> + i),
/// in the training layout: every view, unless the method adds smaller crops after them.</param>
/// <param name="Outputs">The online network's fp32 outputs for every view, view-major, differentiable.</param>
/// <param name="Images">Images in the batch (N).</param>
public sealed record MethodBatch(Tensor FullSizeViews, Tensor Outputs, int Images)
{
    /// <summary>How many views of each image the outputs hold.</summary>
    public int ViewCount => (int)(Outputs.shape[0] / Images);

    /// <summary>The online outputs of view <paramref name="view"/>, [N, d].</summary>
    public Tensor OutputsOf(int view) => Outputs.narrow(0, (long)view * Images, Images);
}

/// <summary>Where training stands, for schedules a method keeps itself (BYOL's target momentum).</summary>
/// <param name="Step">Optimiser steps taken, this one included.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
public readonly record struct TrainingProgress(long Step, long TotalSteps)
{
    /// <summary>Fraction of the run done, 0 to 1.</summary>
    public double Fraction => TotalSteps <= 0 ? 1 : Math.Clamp((double)Step / TotalSteps, 0, 1);

    /// <summary>The 0-based epoch this step belongs to, in a run of <paramref name="epochs"/> epochs of equal steps.</summary>
    public int EpochOf(int epochs) => (int)Math.Clamp((Step - 1) * epochs / Math.Max(1, TotalSteps), 0, Math.Max(0, epochs - 1));
}
