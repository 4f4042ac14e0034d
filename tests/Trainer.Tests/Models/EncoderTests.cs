using AspireSimClr.Engine;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Models;

public class EncoderTests
{
    [Theory]
    [InlineData(ModelNames.TinyCnn, 128)]
    [InlineData(ModelNames.CompactCnn, 256)]
    [InlineData(ModelNames.ResNet18, 512)]
    public void EncoderGivesRepresentationsAndHeadGivesProjections(string model, int featureDim)
    {
        using var network = ProjectionNetwork.Create(new TrainingConfig { Model = model, ProjectionHiddenDim = 64, ProjectionDim = 32 });
        using var images = randn(4, 3, 32, 32);
        using var representation = network.Encoder.forward(images);
        using var projection = network.forward(images);
        Assert.Equal(featureDim, network.Encoder.FeatureDim);
        Assert.Equal(new long[] { 4, featureDim }, representation.shape);
        Assert.Equal(new long[] { 4, 32 }, projection.shape);
    }

    [Theory]
    [InlineData(ModelNames.TinyCnn, 1.5, 128, new long[] { 24, 3, 3, 3 })]      // tiny-cnn's representation stays 128-d (its linear layer)
    [InlineData(ModelNames.CompactCnn, 1.5, 384, new long[] { 48, 3, 3, 3 })]
    [InlineData(ModelNames.CompactCnn, 0.5, 128, new long[] { 16, 3, 3, 3 })]
    [InlineData(ModelNames.ResNet18, 0.5, 256, new long[] { 32, 3, 3, 3 })]
    public void EncoderWidthScalesEveryStage(string model, double width, int featureDim, long[] firstConvolution)
    {
        using var encoder = EncoderFactory.Create(model, 32, width);
        Assert.Equal(featureDim, encoder.FeatureDim);
        Assert.Equal(firstConvolution, encoder.parameters().First().shape);
        using var images = randn(2, 3, 32, 32);
        using var representation = encoder.forward(images);
        Assert.Equal(new long[] { 2, featureDim }, representation.shape);
    }

    [Fact]
    public void ResNet18UsesTheCifarStemAndTorchvisionParameterNames()
    {
        using var encoder = new ResNet18Cifar();
        var state = encoder.state_dict();
        Assert.Equal(new long[] { 64, 3, 3, 3 }, state["conv1.weight"].shape);
        Assert.Contains("layer1.0.bn1.running_mean", state.Keys);
        Assert.Contains("layer2.0.downsample.0.weight", state.Keys);
        Assert.Contains("layer4.1.conv2.weight", state.Keys);
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("fc."));
        long parameters = encoder.parameters().Sum(p => p.numel());
        Assert.Equal(11_168_832, parameters); // torchvision resnet18 without fc, with a 3×3 stem
    }

    [Fact]
    public void TinyCnnIsTheTutorialsNetwork()
    {
        using var encoder = new TinyCnn(32);
        var state = encoder.state_dict();
        Assert.Equal(new long[] { 16, 3, 3, 3 }, state["conv1.weight"].shape);
        Assert.Equal(new long[] { 32, 16, 3, 3 }, state["conv2.weight"].shape);
        Assert.Equal(new long[] { 128, 32 * 8 * 8 }, state["fc.weight"].shape);
    }
}
