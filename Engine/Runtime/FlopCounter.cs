using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Floating-point operations of a network's convolutions and linear layers, counted on one forward
/// pass (2 per multiply-add). A training step costs about three forward passes (forward, gradient
/// of the inputs, gradient of the weights), the convention behind model FLOPs utilisation (MFU);
/// normalisation, activations, augmentation and the loss are left out as the usual counts do.
/// </summary>
public static class FlopCounter
{
    public static long ForwardFlopsPerImage(Module<Tensor, Tensor> network, int imageSize)
    {
        long flops = 0;
        var removers = new List<IDisposable>();
        // Hooks run when a module is invoked with call(), which is why the encoders call their layers that way.
        foreach (var module in network.modules())
        {
            if (module is TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear)
            {
                var layer = (Module<Tensor, Tensor>)module;
                var remover = layer.register_forward_hook((m, input, output) =>
                {
                    // Per output element: one multiply-add per weight of its kernel (in/groups × kh × kw, or in).
                    var weight = m is TorchSharp.Modules.Conv2d conv ? conv.weight! : ((TorchSharp.Modules.Linear)m).weight!;
                    long perOutput = weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                    flops += 2 * output.numel() * perOutput;
                    return output;
                });
                removers.Add(new Removal(remover.remove));
            }
        }
        bool wasTraining = network.training;
        try
        {
            network.eval();
            using var noGrad = no_grad();
            var device = network.parameters().First().device;
            // A batch, not one image: libtorch sends single images to other kernels (and warns about NNPACK).
            const int batch = 16;
            using var images = zeros([batch, 3, imageSize, imageSize], device: device);
            using var output = network.call(images);
            return flops / batch;
        }
        finally
        {
            foreach (var remover in removers) remover.Dispose();
            network.train(wasTraining);
        }
    }

    /// <summary>Forward plus backward: three forward passes per image.</summary>
    public static long TrainingFlopsPerImage(Module<Tensor, Tensor> network, int imageSize) => 3 * ForwardFlopsPerImage(network, imageSize);

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
