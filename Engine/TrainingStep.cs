using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Health;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Engine.Precision;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine;

/// <summary>
/// One optimisation step on a batch of N images: the method's views of each (V·N samples, in the
/// configured precision and memory layout), the online network's outputs, the method's loss in
/// fp32, backward, the method's hook on the gradients, the optimiser's step, then the method's after-step update.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly TrainingConfig _config;
    private readonly ISslMethod _method;
    private readonly ITrainingOptimizer _optimizer;
    private readonly Device _device;
    /// <summary>The method's views in runs of one size, in view order: each run goes through the network in one forward.</summary>
    private readonly ViewAugmentation[][] _viewGroups;
    private readonly ITrainingPrecision _precision;
    private readonly FlatNetwork _online;

    /// <param name="online">The method's online network in flat buffers (its gradients are what the optimiser reads).</param>
    public TrainingStep(TrainingConfig config, ISslMethod method, FlatNetwork online, ITrainingOptimizer optimizer, Normalization normalization, Device device)
    {
        _config = config;
        _online = online;
        _method = method;
        _optimizer = optimizer;
        _device = device;
        _viewGroups = GroupsOfOneSize(method.Views).Select(group => group.Select(view => new ViewAugmentation(view, normalization)).ToArray()).ToArray();
        _precision = TrainingPrecision.Create(config.Precision, method.Online, () => SslMethods.CreateOnline(config), device);
    }

    /// <param name="readLoss">Read the loss back (a host synchronisation); otherwise the result's loss is null.</param>
    /// <param name="measureHealth">Also measure the label-free signals of the first two views' outputs and the gradient norm.</param>
    public StepResult Run(Tensor images, Generator generator, TrainingProgress progress, bool readLoss = true, bool measureHealth = false)
    {
        using var scope = NewDisposeScope();
        var onDevice = images.to(_device);
        var groups = new List<Tensor>(_viewGroups.Length);
        // The full-size views (the first group) at the epoch's side under progressive resolution; smaller crops keep theirs.
        int fullSizeSide = ProgressiveResolution.SideAt(_config, progress.EpochOf(_config.Epochs));
        using (no_grad())
            for (int g = 0; g < _viewGroups.Length; g++)
            {
                int? side = g == 0 && fullSizeSide != _config.ImageSize ? fullSizeSide : null;
                var views = cat(_viewGroups[g].Select(view => view.Apply(onDevice, generator, side)).ToArray());
                groups.Add(_config.ChannelsLast == true ? MemoryLayout.ToChannelsLast(views) : views);
            }
        _optimizer.ZeroGrad();
        var outputs = _precision.Forward(groups);
        var batch = new MethodBatch(groups[0], outputs.Count == 1 ? outputs[0] : cat(outputs.ToArray()), (int)onDevice.shape[0]);
        var loss = _method.Loss(batch);
        loss.backward();
        _precision.CollectGradients();
        EmbeddingHealth? health = null;
        double? gradientNorm = null;
        if (measureHealth)
        {
            health = EmbeddingHealth.Measure(batch.OutputsOf(0), batch.OutputsOf(1));
            gradientNorm = GradientNorm();
        }
        using (no_grad()) _method.BeforeOptimizerStep(progress);
        _optimizer.Step();
        _method.AfterStep(progress);
        return new StepResult(readLoss || measureHealth ? loss.item<float>() : null, health, gradientNorm);
    }

    private static IEnumerable<List<TrainingConfig>> GroupsOfOneSize(IReadOnlyList<TrainingConfig> views)
    {
        var group = new List<TrainingConfig>();
        foreach (var view in views)
        {
            if (group.Count > 0 && group[0].ImageSize != view.ImageSize)
            {
                yield return group;
                group = [];
            }
            group.Add(view);
        }
        if (group.Count > 0) yield return group;
    }

    /// <summary>The L2 norm of all the online network's gradients together, before the optimiser's step.</summary>
    private double GradientNorm()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double sumOfSquares = _online.Parameters.Sum(buffer => buffer.Gradients!.to_type(ScalarType.Float32).square().sum().item<float>());
        return Math.Sqrt(sumOfSquares);
    }

    public void Dispose() => _precision.Dispose();
}

/// <summary>What one step reports: its loss (when read), and its health signals (when measured).</summary>
public readonly record struct StepResult(double? Loss, EmbeddingHealth? Health, double? GradientNorm);
