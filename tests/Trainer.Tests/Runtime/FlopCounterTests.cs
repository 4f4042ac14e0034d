using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class FlopCounterTests
{
    [Fact]
    public void CountsEachConvolutionAndLinearLayerByHand()
    {
        // 3→8 channels, 3×3, stride 2 on 8×8: 4×4×8 outputs × 27 multiply-adds; then 8 → 5 linear.
        using var network = Sequential(
            Conv2d(3, 8, kernel_size: 3, stride: 2, padding: 1, bias: false), BatchNorm2d(8), ReLU(),
            AdaptiveAvgPool2d(1), Flatten(), Linear(8, 5));
        long expected = 2L * (4 * 4 * 8 * 27) + 2L * (8 * 5);
        Assert.Equal(expected, FlopCounter.ForwardFlopsPerImage(network, 8));
        Assert.Equal(3 * expected, FlopCounter.TrainingFlopsPerImage(network, 8));
    }

    [Fact]
    public void CompactCnnIsCountedLayerByLayerThroughItsNestedModules()
    {
        using var network = new ProjectionNetwork(new CompactCnn(), 512, 128);
        // Encoder: 16²·32·27 + 8²·64·288 + 8²·128·576 + 4²·256·1152 multiply-adds; head: 256·512 + 512·128.
        long encoder = 16 * 16 * 32 * 27 + 8 * 8 * 64 * 288 + 8 * 8 * 128 * 576 + 4 * 4 * 256 * 1152;
        long head = 256 * 512 + 512 * 128;
        Assert.Equal(2 * (encoder + head), FlopCounter.ForwardFlopsPerImage(network, 32));
    }
}
