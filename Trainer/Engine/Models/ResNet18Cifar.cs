using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Trainer.Engine.Models;

/// <summary>
/// ResNet-18 with the CIFAR stem (3×3 conv, stride 1, no max-pool), 512-d representation.
/// Parameter names follow torchvision's resnet18, so the exported state dict loads into
/// <c>torchvision.models.resnet18()</c> with conv1 replaced and maxpool/fc set to Identity.
/// </summary>
public sealed class ResNet18Cifar : Encoder
{
    private readonly TorchSharp.Modules.Conv2d conv1;
    private readonly TorchSharp.Modules.BatchNorm2d bn1;
    private readonly TorchSharp.Modules.Sequential layer1, layer2, layer3, layer4;

    public ResNet18Cifar() : base(nameof(ResNet18Cifar))
    {
        conv1 = Conv2d(3, 64, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(64);
        layer1 = Sequential(new BasicBlock(64, 64, 1), new BasicBlock(64, 64, 1));
        layer2 = Sequential(new BasicBlock(64, 128, 2), new BasicBlock(128, 128, 1));
        layer3 = Sequential(new BasicBlock(128, 256, 2), new BasicBlock(256, 256, 1));
        layer4 = Sequential(new BasicBlock(256, 512, 2), new BasicBlock(512, 512, 1));
        RegisterComponents();
    }

    public override int FeatureDim => 512;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = functional.relu(bn1.call(conv1.call(x)), inplace: true);
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return functional.adaptive_avg_pool2d(x, 1).flatten(1).MoveToOuterDisposeScope();
    }

    private sealed class BasicBlock : Module<Tensor, Tensor>
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
    }
}
