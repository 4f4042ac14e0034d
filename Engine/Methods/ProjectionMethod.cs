using AspireSimClr.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods;

/// <summary>
/// A method that trains an encoder and projection head on two views augmented alike and keeps
/// nothing beside them (SimCLR, VICReg): only its loss on the two views' projections differs.
/// </summary>
public abstract class ProjectionMethod : ISslMethod
{
    private readonly ProjectionNetwork _network;

    protected ProjectionMethod(TrainingConfig config, Device device)
    {
        Config = config;
        _network = ProjectionNetwork.Create(config);
        _network.to(device);
        Views = ViewsOf(config);
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => ProjectionNetwork.Create(config);

    /// <summary>Two views augmented alike.</summary>
    public static IReadOnlyList<TrainingConfig> ViewsOf(TrainingConfig config) => [config, config];

    protected TrainingConfig Config { get; }

    public OnlineNetwork Online => _network;

    public IReadOnlyList<TrainingConfig> Views { get; }

    public Tensor Loss(MethodBatch batch) => Loss(batch.OutputsOf(0), batch.OutputsOf(1));

    /// <summary>The loss on the two views' projections [N, d].</summary>
    protected abstract Tensor Loss(Tensor view1, Tensor view2);

    public void AfterStep(TrainingProgress progress) { }

    public void SaveState(BinaryWriter writer) { }

    public void LoadState(BinaryReader reader) { }

    public void Dispose() => _network.Dispose();
}
