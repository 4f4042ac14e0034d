using static TorchSharp.torch;

namespace AspireSimClr.Engine.Models;

/// <summary>
/// The network a method trains by gradient descent, mapping views to what its loss compares. Its
/// encoder is the product of training: evaluation, embedding and export use it alone.
/// </summary>
public abstract class OnlineNetwork(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract Encoder Encoder { get; }

    /// <summary>The projection head g after the encoder, which ONNX export can include; null where there is none.</summary>
    public abstract nn.Module<Tensor, Tensor>? Projector { get; }
}
