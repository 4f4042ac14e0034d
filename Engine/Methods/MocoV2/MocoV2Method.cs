using TorchSharp;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.MocoV2;

/// <summary>
/// MoCo v2 (Chen et al. 2020): queries from the online encoder and projection head, keys from its
/// momentum copy, InfoNCE against a queue of earlier keys. Symmetric over the two views (each view
/// is once the query and once the key), as solo-learn trains it on one device; both views' keys are
/// queued after the step.
/// </summary>
public sealed class MocoV2Method : ISslMethod
{
    private readonly TrainingConfig _config;
    private readonly ProjectionNetwork _online;
    private readonly MomentumTarget _keyEncoder;
    private readonly KeyQueue _queue;
    private Tensor? _keysToQueue;

    public MocoV2Method(TrainingConfig config, Device device)
    {
        _config = config;
        _online = ProjectionNetwork.Create(config);
        _online.to(device);
        _keyEncoder = new MomentumTarget(config, _online, () => ProjectionNetwork.Create(config), device);
        _queue = new KeyQueue(config.QueueSize, config.ProjectionDim, device);
        Views = ProjectionMethod.ViewsOf(config);
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => ProjectionNetwork.Create(config);

    public OnlineNetwork Online => _online;

    public IReadOnlyList<TrainingConfig> Views { get; }

    /// <summary>The queued keys (for tests and inspection).</summary>
    public Tensor Queue => _queue.Keys;

    public Tensor Loss(MethodBatch batch)
    {
        var keys = _keyEncoder.Forward(batch.FullSizeViews);
        var key1 = keys.narrow(0, 0, batch.Images);
        var key2 = keys.narrow(0, batch.Images, batch.Images);
        using var loss1 = InfoNceLoss.Compute(batch.OutputsOf(0), key2, _queue.Keys, _config.Temperature);
        using var loss2 = InfoNceLoss.Compute(batch.OutputsOf(1), key1, _queue.Keys, _config.Temperature);
        _keysToQueue?.Dispose();
        // Owned here until AfterStep queues them, whatever dispose scope the step runs in.
        _keysToQueue = keys.DetachFromDisposeScope();
        return (loss1 + loss2) / 2;
    }

    public void AfterStep(TrainingProgress progress)
    {
        _keyEncoder.Update(progress);
        if (_keysToQueue is null) return;
        _queue.Enqueue(_keysToQueue);
        _keysToQueue.Dispose();
        _keysToQueue = null;
    }

    public void SaveState(BinaryWriter writer)
    {
        _keyEncoder.Save(writer);
        _queue.Save(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        _keyEncoder.Load(reader);
        _queue.Load(reader);
    }

    public void Dispose()
    {
        _keysToQueue?.Dispose();
        _queue.Dispose();
        _keyEncoder.Dispose();
        _online.Dispose();
    }
}
