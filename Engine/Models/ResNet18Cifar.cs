using AspireSimClr.Engine.Export;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Engine.Models;

/// <summary>
/// ResNet-18 with the CIFAR stem (3×3 conv, stride 1, no max-pool), 512-d representation.
/// Parameter names follow torchvision's resnet18, so the exported state dict loads into
/// <c>torchvision.models.resnet18()</c> with conv1 replaced and maxpool/fc set to Identity (at width 1;
/// other widths scale every stage's channels).
/// </summary>
public sealed class ResNet18Cifar : Encoder, IOnnxExportable
{
    private readonly TorchSharp.Modules.Conv2d conv1;
    private readonly TorchSharp.Modules.BatchNorm2d bn1;
    private readonly TorchSharp.Modules.Sequential layer1, layer2, layer3, layer4;

    private readonly int featureDim;

    public ResNet18Cifar(double width = 1.0) : base(nameof(ResNet18Cifar))
    {
        int[] c = [.. new[] { 64, 128, 256, 512 }.Select(n => EncoderFactory.Channels(n, width))];
        featureDim = c[3];
        conv1 = Conv2d(3, c[0], kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(c[0]);
        layer1 = Sequential(new BasicBlock(c[0], c[0], 1), new BasicBlock(c[0], c[0], 1));
        layer2 = Sequential(new BasicBlock(c[0], c[1], 2), new BasicBlock(c[1], c[1], 1));
        layer3 = Sequential(new BasicBlock(c[1], c[2], 2), new BasicBlock(c[2], c[2], 1));
        layer4 = Sequential(new BasicBlock(c[2], c[3], 2), new BasicBlock(c[3], c[3], 1));
        RegisterComponents();
    }

    public override int FeatureDim => featureDim;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = functional.relu(bn1.call(conv1.call(x)), inplace: true);
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return functional.adaptive_avg_pool2d(x, 1).flatten(1).MoveToOuterDisposeScope();
    }

    string IOnnxExportable.ExportOnnx(OnnxGraph graph, string input)
    {
        var x = graph.Relu(graph.BatchNorm(bn1, graph.Conv(conv1, input)));
        x = graph.Layer(layer4, graph.Layer(layer3, graph.Layer(layer2, graph.Layer(layer1, x))));
        return graph.Flatten(graph.GlobalAveragePool(x));
    }

    private sealed class BasicBlock : Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly TorchSharp.Modules.Conv2d conv1, conv2;
        private readonly TorchSharp.Modules.BatchNorm2d bn1, bn2;
        private readonly TorchSharp.Modules.Sequential? downsample;

        public BasicBlock(int input, int output, int stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(input, output, kernel_size: 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(output);
            conv2 = Conv2d(output, output, kernel_size: 3, stride: 1, padding: 1, bias: false);
            bn2 = BatchNorm2d(output);
            if (stride != 1 || input != output)
                downsample = Sequential(Conv2d(input, output, kernel_size: 1, stride: stride, bias: false), BatchNorm2d(output));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = functional.relu(bn1.call(conv1.call(x)), inplace: true);
            y = bn2.call(conv2.call(y));
            var shortcut = downsample is null ? x : downsample.call(x);
            return functional.relu(y.add_(shortcut), inplace: true).MoveToOuterDisposeScope();
        }

        string IOnnxExportable.ExportOnnx(OnnxGraph graph, string input)
        {
            var y = graph.Relu(graph.BatchNorm(bn1, graph.Conv(conv1, input)));
            y = graph.BatchNorm(bn2, graph.Conv(conv2, y));
            var shortcut = downsample is null ? input : graph.Layer(downsample, input);
            return graph.Relu(graph.Add(y, shortcut));
        }
    }
}
