using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Engine.Precision;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine;

/// <summary>
/// One optimisation step on a batch of N images: the method's views of each (V·N samples, in the
/// configured precision and memory layout), the online network's outputs, the method's loss in
/// fp32, backward, the optimiser's step, then the method's after-step update.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly TrainingConfig _config;
    private readonly ISslMethod _method;
    private readonly ITrainingOptimizer _optimizer;
    private readonly Device _device;
    private readonly ViewAugmentation[] _views;
    private readonly ITrainingPrecision _precision;

    public TrainingStep(TrainingConfig config, ISslMethod method, ITrainingOptimizer optimizer, Normalization normalization, Device device)
    {
        _config = config;
        _method = method;
        _optimizer = optimizer;
        _device = device;
        _views = method.Views.Select(view => new ViewAugmentation(view, normalization)).ToArray();
        _precision = TrainingPrecision.Create(config.Precision, method.Online, () => SslMethods.CreateOnline(config), device);
    }

    /// <returns>The loss when <paramref name="readLoss"/> is set (a host synchronisation), otherwise null.</returns>
    public double? Run(Tensor images, Generator generator, TrainingProgress progress, bool readLoss = true)
    {
        using var scope = NewDisposeScope();
        var onDevice = images.to(_device);
        Tensor views;
        using (no_grad())
        {
            views = cat(_views.Select(view => view.Apply(onDevice, generator)).ToArray());
            if (_config.ChannelsLast == true) views = MemoryLayout.ToChannelsLast(views);
        }
        _optimizer.ZeroGrad();
        var outputs = _precision.Forward(views);
        var loss = _method.Loss(new MethodBatch(views, outputs, (int)onDevice.shape[0]));
        loss.backward();
        _precision.CollectGradients();
        _optimizer.Step();
        _method.AfterStep(progress);
        return readLoss ? loss.item<float>() : null;
    }

    public void Dispose() => _precision.Dispose();
}
