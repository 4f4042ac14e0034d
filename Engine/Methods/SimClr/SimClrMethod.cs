using TorchSharp;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.SimClr;

/// <summary>
/// SimCLR (Chen et al. 2020): two views of each image through encoder and projection head, NT-Xent
/// over the 2N projections with each sample's other view as its positive.
/// </summary>
public sealed class SimClrMethod : ISslMethod
{
    private readonly TrainingConfig _config;
    private readonly ProjectionNetwork _network;

    public SimClrMethod(TrainingConfig config, Device device)
    {
        _config = config;
        _network = ProjectionNetwork.Create(config);
        _network.to(device);
        Views = [config, config];
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => ProjectionNetwork.Create(config);

    public OnlineNetwork Online => _network;

    public IReadOnlyList<TrainingConfig> Views { get; }

    public Tensor Loss(MethodBatch batch) => NtXentLoss.Compute(batch.OutputsOf(0), batch.OutputsOf(1), _config.Temperature);

    public void AfterStep(TrainingProgress progress) { }

    public void SaveState(BinaryWriter writer) { }

    public void LoadState(BinaryReader reader) { }

    public void Dispose() => _network.Dispose();
}
