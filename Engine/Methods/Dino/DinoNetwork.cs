using AspireSimClr.Engine.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Methods.Dino;

/// <summary>
/// DINO's network, for student and teacher alike: encoder f, projector g (the MLP to a bottleneck) and K prototypes, whose
/// output is the cosine of the normalised bottleneck with each normalised prototype (the paper's weight-normalised last layer
/// with its gain held at 1). Only the direction of a prototype matters, so decay that only scales it leaves the output as it was.
/// </summary>
public sealed class DinoNetwork : OnlineNetwork
{
    // "encoder", "projector" and "prototypes": the names the teacher's moving average pairs by.
    private readonly Encoder encoder;
    private readonly ProjectionHead projector;
    private readonly TorchSharp.Modules.Parameter prototypes;

    public DinoNetwork(TrainingConfig config) : base(nameof(DinoNetwork))
    {
        encoder = EncoderFactory.Create(config.Model, config.ImageSize, config.EncoderWidth);
        projector = new ProjectionHead(encoder.FeatureDim, config.ProjectionHiddenDim, config.ProjectionDim);
        // Drawn from the global generator like every other initial weight (the scale is irrelevant: only directions are used).
        prototypes = new TorchSharp.Modules.Parameter(randn(config.DinoPrototypes, config.ProjectionDim).mul_(0.02));
        RegisterComponents();
    }

    public override Encoder Encoder => encoder;

    /// <summary>g, the MLP to the bottleneck; the prototypes serve training only.</summary>
    public override nn.Module<Tensor, Tensor> Projector => projector;

    /// <summary>The prototypes [K, bottleneck], DINO's last layer.</summary>
    public TorchSharp.Modules.Parameter Prototypes => prototypes;

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var bottleneck = F.normalize(projector.call(encoder.call(images)), dim: 1);
        return F.linear(bottleneck, F.normalize(prototypes, dim: 1)).MoveToOuterDisposeScope();
    }
}
