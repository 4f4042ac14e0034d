using System.Diagnostics;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// The machine's attainable peak, the denominator of MFU: the best FLOP/s this libtorch reaches, at
/// these threads and this precision, on the two kernels a training step is made of: a large square
/// matrix product (BLAS) and a large 3×3 convolution (oneDNN on a CPU, cuDNN on a GPU); whichever is
/// faster. Measured rather than computed from cores × vector width × clock, which a virtual machine
/// does not report reliably (and MKL's matrix product is not the fastest kernel on every CPU).
/// </summary>
public static class ComputePeak
{
    public sealed record Peak(double FlopsPerSecond, string Kernel);

    public static Peak Measure(Device device, ScalarType type)
    {
        bool gpu = device.type == TorchSharp.DeviceType.CUDA;
        using var generator = new Generator(0, device);
        int n = gpu ? 8192 : 2048;
        double matmul;
        using (var a = Random([n, n], type, device, generator))
        using (var b = Random([n, n], type, device, generator))
            matmul = 2.0 * n * n * n / BestSeconds(device, () => a.matmul(b));

        // 256 → 256 channels, 3×3, on 32×32 maps (the shape of a ResNet stage), in both layouts.
        int batch = gpu ? 256 : 16, channels = 256, side = 32;
        double convolution = 0;
        foreach (bool channelsLast in new[] { false, true })
        {
            using var input = InLayout(Random([batch, channels, side, side], type, device, generator), channelsLast);
            using var weight = InLayout(Random([channels, channels, 3, 3], type, device, generator), channelsLast);
            convolution = Math.Max(convolution,
                2.0 * batch * side * side * channels * channels * 9 / BestSeconds(device, () => nn.functional.conv2d(input, weight, padding: [1, 1])));
        }

        return matmul >= convolution ? new Peak(matmul, $"{n}² matrix product") : new Peak(convolution, $"{channels}-channel 3×3 convolution");
    }

    private static double BestSeconds(Device device, Func<Tensor> kernel)
    {
        using (no_grad())
        {
            for (int i = 0; i < 2; i++) kernel().Dispose();
            DeviceSelector.Synchronize(device);
            double best = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                using (kernel()) DeviceSelector.Synchronize(device);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
            return best;
        }
    }

    private static Tensor Random(long[] shape, ScalarType type, Device device, Generator generator)
    {
        using var values = randn(shape, device: device, generator: generator);
        return values.to_type(type);
    }

    private static Tensor InLayout(Tensor tensor, bool channelsLast)
    {
        if (!channelsLast) return tensor;
        using (tensor) return MemoryLayout.ToChannelsLast(tensor);
    }
}
