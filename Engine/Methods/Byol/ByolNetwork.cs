using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.Byol;

/// <summary>BYOL's online network: encoder f, projector g and predictor q; the output is q(g(f(x))).</summary>
public sealed class ByolNetwork : OnlineNetwork
{
    // "encoder" and "projector" match the target's (ProjectionNetwork) names, which the momentum update pairs by.
    private readonly Encoder encoder;
    private readonly ProjectionHead projector;
    private readonly ProjectionHead predictor;

    public ByolNetwork(TrainingConfig config) : base(nameof(ByolNetwork))
    {
        encoder = EncoderFactory.Create(config.Model, config.ImageSize, config.EncoderWidth);
        projector = new ProjectionHead(encoder.FeatureDim, config.ProjectionHiddenDim, config.ProjectionDim);
        predictor = new ProjectionHead(config.ProjectionDim, config.PredictorHiddenDim, config.ProjectionDim);
        RegisterComponents();
    }

    public override Encoder Encoder => encoder;

    /// <summary>g, the projector; the predictor q serves training only.</summary>
    public override nn.Module<Tensor, Tensor> Projector => projector;

    public override Tensor forward(Tensor images)
    {
        using var representation = encoder.call(images);
        using var projection = projector.call(representation);
        return predictor.call(projection);
    }
}
