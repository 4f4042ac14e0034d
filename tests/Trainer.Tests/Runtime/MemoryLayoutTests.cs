using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class MemoryLayoutTests
{
    [Fact]
    public void ChannelsLastKeepsTheValuesAndLibtorchKeepsTheLayoutThroughAConvolution()
    {
        manual_seed(3);
        using var images = rand(4, 3, 8, 8);
        using var nhwc = MemoryLayout.ToChannelsLast(images);

        Assert.False(MemoryLayout.IsChannelsLast(images));
        Assert.True(MemoryLayout.IsChannelsLast(nhwc));
        Assert.True(Tensors.Identical(images, nhwc));

        using var conv = nn.Conv2d(3, 16, 3, padding: 1);
        using var expected = conv.forward(images);
        using var output = conv.forward(nhwc);
        Assert.True(MemoryLayout.IsChannelsLast(output), "the convolution's output is not channels-last: libtorch did not see the input's layout");
        Assert.True(allclose(expected, output, rtol: 1e-4, atol: 1e-5));
    }
}
