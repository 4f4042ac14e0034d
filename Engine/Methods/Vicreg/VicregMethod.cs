using TorchSharp;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.Vicreg;

/// <summary>
/// VICReg (Bardes et al. 2022): two views through encoder and expander (the projection head), with
/// variance, invariance and covariance terms on the embeddings; no negatives, no target network.
/// </summary>
public sealed class VicregMethod : ISslMethod
{
    private readonly TrainingConfig _config;
    private readonly ProjectionNetwork _network;

    public VicregMethod(TrainingConfig config, Device device)
    {
        _config = config;
        _network = ProjectionNetwork.Create(config);
        _network.to(device);
        Views = [config, config];
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => ProjectionNetwork.Create(config);

    public OnlineNetwork Online => _network;

    public IReadOnlyList<TrainingConfig> Views { get; }

    public Tensor Loss(MethodBatch batch) => VicregLoss.Compute(batch.OutputsOf(0), batch.OutputsOf(1),
        _config.VicregInvarianceWeight, _config.VicregVarianceWeight, _config.VicregCovarianceWeight);

    public void AfterStep(TrainingProgress progress) { }

    public void SaveState(BinaryWriter writer) { }

    public void LoadState(BinaryReader reader) { }

    public void Dispose() => _network.Dispose();
}
