using static TorchSharp.torch;

namespace AspireSimClr.Engine.Models;

/// <summary>
/// Encoder f(·) followed by a projection head g(·): SimCLR's and MoCo's network, BYOL's target and
/// VICReg's (where g is called the expander). Evaluation uses f's output, the loss uses g's.
/// </summary>
public sealed class ProjectionNetwork : OnlineNetwork
{
    // Field names are the checkpoint's parameter names ("encoder.…", "projector.…").
    private readonly Encoder encoder;
    private readonly ProjectionHead projector;

    public ProjectionNetwork(Encoder encoder, int projectionHiddenDim, int projectionDim) : base(nameof(ProjectionNetwork))
    {
        this.encoder = encoder;
        projector = new ProjectionHead(encoder.FeatureDim, projectionHiddenDim, projectionDim);
        RegisterComponents();
    }

    /// <summary>The encoder and head the config describes, with fresh weights from the global generator.</summary>
    public static ProjectionNetwork Create(TrainingConfig config) =>
        new(EncoderFactory.Create(config.Model, config.ImageSize, config.EncoderWidth), config.ProjectionHiddenDim, config.ProjectionDim);

    public override Encoder Encoder => encoder;

    public override nn.Module<Tensor, Tensor> Projector => projector;

    public override Tensor forward(Tensor images)
    {
        using var representation = encoder.call(images);
        return projector.call(representation);
    }
}
