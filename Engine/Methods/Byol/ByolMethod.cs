using TorchSharp;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.Byol;

/// <summary>
/// BYOL (Grill et al. 2020): the online network predicts the momentum target's projection of the
/// other view, symmetrically; no negatives. Views are asymmetric as in the paper: solarisation only
/// on the second view.
/// </summary>
public sealed class ByolMethod : ISslMethod
{
    private readonly ByolNetwork _online;
    private readonly MomentumTarget _target;

    public ByolMethod(TrainingConfig config, Device device)
    {
        _online = new ByolNetwork(config);
        _online.to(device);
        _target = new MomentumTarget(config, _online, () => ProjectionNetwork.Create(config), device);
        Views = ViewsOf(config);
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => new ByolNetwork(config);

    /// <summary>Solarisation on the second view only, as in the paper.</summary>
    public static IReadOnlyList<TrainingConfig> ViewsOf(TrainingConfig config) => [config with { SolarizeProbability = 0 }, config];

    public OnlineNetwork Online => _online;

    public IReadOnlyList<TrainingConfig> Views { get; }

    public Tensor Loss(MethodBatch batch)
    {
        using var scope = NewDisposeScope();
        var targets = _target.Forward(batch.FullSizeViews);
        var target1 = targets.narrow(0, 0, batch.Images);
        var target2 = targets.narrow(0, batch.Images, batch.Images);
        var loss = ByolLoss.Compute(batch.OutputsOf(0), target2) + ByolLoss.Compute(batch.OutputsOf(1), target1);
        return loss.MoveToOuterDisposeScope();
    }

    public void AfterStep(TrainingProgress progress) => _target.Update(progress);

    public void SaveState(BinaryWriter writer) => _target.Save(writer);

    public void LoadState(BinaryReader reader) => _target.Load(reader);

    public void Dispose()
    {
        _target.Dispose();
        _online.Dispose();
    }
}
