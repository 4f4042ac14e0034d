using static TorchSharp.torch;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// A linear classifier on frozen features: the features are standardised with the training split's per-dimension mean
/// and standard deviation, then logits = x Wᵀ + b. Weight is [classes, features], row-major.
/// </summary>
public sealed record LinearClassifier(float[] FeatureMean, float[] FeatureStd, float[] Weight, float[] Bias, int Classes)
{
    public int Features => FeatureMean.Length;

    public Tensor Logits(Tensor features)
    {
        using var scope = NewDisposeScope();
        var device = features.device;
        var x = (features - tensor(FeatureMean, device: device)) / tensor(FeatureStd, device: device);
        var weight = tensor(Weight, [Classes, Features], device: device);
        return nn.functional.linear(x, weight, tensor(Bias, device: device)).MoveToOuterDisposeScope();
    }

    /// <summary>Top-1 accuracy on labelled features.</summary>
    public double Top1(Tensor features, long[] labels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predictions = Logits(features).argmax(1);
        long correct = predictions.eq(tensor(labels, device: features.device)).sum().item<long>();
        return (double)correct / labels.Length;
    }
}
