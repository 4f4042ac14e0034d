using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Trainer.Engine.Models;

/// <summary>Encoder f(·) followed by projection head g(·); evaluation uses f's output, the loss uses g's.</summary>
public sealed class SimClrNetwork : Module<Tensor, Tensor>
{
    private readonly Encoder encoder;
    private readonly ProjectionHead projector;

    public SimClrNetwork(Encoder encoder, int projectionHiddenDim, int projectionDim) : base(nameof(SimClrNetwork))
    {
        this.encoder = encoder;
        projector = new ProjectionHead(encoder.FeatureDim, projectionHiddenDim, projectionDim);
        RegisterComponents();
    }

    public static SimClrNetwork Create(SimClrConfig config) =>
        new(EncoderFactory.Create(config.Model, config.ImageSize, config.EncoderWidth), config.ProjectionHiddenDim, config.ProjectionDim);

    public Encoder Encoder => encoder;

    public override Tensor forward(Tensor images)
    {
        using var representation = encoder.call(images);
        return projector.call(representation);
    }
}
