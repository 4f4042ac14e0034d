using TorchSharp;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Precision;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods;

/// <summary>
/// A target network (encoder + projection head) that follows the online network's matching weights
/// by exponential moving average and is never trained by gradients: BYOL's target, MoCo's key
/// encoder. It starts as a copy of the online weights and computes in the run's precision.
/// </summary>
public sealed class MomentumTarget : IDisposable
{
    private readonly OnlineNetwork _network;
    private readonly FlatNetwork _flat;
    private readonly ITrainingPrecision _precision;
    private readonly (Parameter Online, Parameter Target)[] _parameters;
    private readonly double _baseMomentum;
    private FlatRuns? _runs;

    /// <param name="createTarget">Makes an untrained target network: the online network's architecture, or the part of it the target follows.</param>
    public MomentumTarget(TrainingConfig config, OnlineNetwork online, Func<OnlineNetwork> createTarget, Device device)
    {
        _baseMomentum = config.TargetMomentum;
        _network = createTarget();
        _network.to(device);
        // The online network may have more (BYOL's predictor); the target follows what they share by name.
        var onlineByName = online.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _parameters = _network.named_parameters().Select(p => (onlineByName[p.name], p.parameter)).ToArray();
        using (no_grad())
        {
            foreach (var (source, target) in _parameters)
            {
                target.copy_(source);
                target.requires_grad = false;
            }
        }
        _flat = FlatNetwork.Adopt(_network, gradients: false);
        _precision = TrainingPrecision.Create(config.Precision, _network, createTarget, device);
    }

    /// <summary>The target's projections of <paramref name="views"/> (fp32, no gradient).</summary>
    public Tensor Forward(Tensor views)
    {
        using var noGrad = no_grad();
        var output = _precision.Forward([views])[0];
        _precision.CollectGradients();  // brings a lower-precision copy's batch-norm statistics back
        return output;
    }

    /// <summary>
    /// target ← m·target + (1 − m)·online, with m rising from the configured rate to 1 on a cosine
    /// schedule over the run (BYOL's schedule, which solo-learn also uses for MoCo v2).
    /// </summary>
    public void Update(TrainingProgress progress)
    {
        double momentum = Momentum(_baseMomentum, progress);
        using var noGrad = no_grad();
        // Paired at the first update, when the training session has moved the online network into its flat buffers.
        _runs ??= new FlatRuns(_parameters.Select(p => ((Tensor)p.Online, (Tensor)p.Target)));
        foreach (var (online, target) in _runs.Values)
            target.mul_(momentum).add_(online, alpha: 1 - momentum);
    }

    public static double Momentum(double baseMomentum, TrainingProgress progress) =>
        1 - (1 - baseMomentum) * (Math.Cos(Math.PI * progress.Fraction) + 1) / 2;

    public void Save(BinaryWriter writer) => _network.save(writer);

    public void Load(BinaryReader reader) => ModuleState.Load(_network, reader);

    public void Dispose()
    {
        _runs?.Dispose();
        _precision.Dispose();
        _flat.Dispose();
        _network.Dispose();
    }
}
