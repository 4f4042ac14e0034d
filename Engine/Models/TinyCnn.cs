using AspireSimClr.Engine.Export;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Engine.Models;

/// <summary>The tutorial's encoder, kept for reference: Conv 3→16 s2, Conv 16→32 s2, Linear to 128.</summary>
public sealed class TinyCnn : Encoder, IOnnxExportable
{
    private readonly TorchSharp.Modules.Conv2d conv1;
    private readonly TorchSharp.Modules.Conv2d conv2;
    private readonly TorchSharp.Modules.Linear fc;

    public TinyCnn(int imageSize, double width = 1.0) : base(nameof(TinyCnn))
    {
        int side = (imageSize + 3) / 4;
        int first = EncoderFactory.Channels(16, width), second = EncoderFactory.Channels(32, width);
        conv1 = Conv2d(3, first, kernel_size: 3, stride: 2, padding: 1);
        conv2 = Conv2d(first, second, kernel_size: 3, stride: 2, padding: 1);
        fc = Linear(second * side * side, 128);
        RegisterComponents();
    }

    public override int FeatureDim => 128;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = functional.relu(conv1.call(x));
        x = functional.relu(conv2.call(x));
        return fc.call(x.flatten(1)).MoveToOuterDisposeScope();
    }

    string IOnnxExportable.ExportOnnx(OnnxGraph graph, string input)
    {
        var x = graph.Relu(graph.Conv(conv2, graph.Relu(graph.Conv(conv1, input))));
        return graph.Linear(fc, graph.Flatten(x));
    }
}
