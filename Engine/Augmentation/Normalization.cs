using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>Per-channel mean and standard deviation of a training set, applied to float images in [0, 1].</summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    public Tensor Apply(Tensor images)
    {
        using var scope = NewDisposeScope();
        return ((images - PerChannel(Mean, images.device)) / PerChannel(Std, images.device)).MoveToOuterDisposeScope();
    }

    // Filled on the device rather than copied from host memory, which would make the host wait for the GPU.
    private static Tensor PerChannel(float[] values, Device device) =>
        cat(values.Select(v => full([1, 1, 1, 1], v, device: device)).ToList(), 1);

    /// <summary>uint8 [B, 3, H, W] → normalised float, resized to <paramref name="imageSize"/> if needed (evaluation input).</summary>
    public Tensor Prepare(Tensor uint8Images, int imageSize)
    {
        using var scope = NewDisposeScope();
        var x = uint8Images.to_type(ScalarType.Float32).div_(255.0);
        if (x.shape[2] != imageSize || x.shape[3] != imageSize)
            x = nn.functional.interpolate(x, [imageSize, imageSize], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        return Apply(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Exact per-channel sums of the uint8 pixels and their squares in int64, a small chunk of images at a time:
    /// constant memory whatever the dataset's size (the dataset itself may be a memory-mapped file).
    /// </summary>
    public static Normalization Compute(Tensor uint8Images, CancellationToken cancellationToken = default)
    {
        var sum = new double[3];
        var sumSquares = new double[3];
        long chunk = 1024, count = uint8Images.shape[0];
        using (no_grad())
        {
            for (long start = 0; start < count; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var x = uint8Images.narrow(0, start, Math.Min(chunk, count - start)).to_type(ScalarType.Int32);
                var s = HostArrays.ToArray<long>(x.sum([0, 2, 3], type: ScalarType.Int64));
                var q = HostArrays.ToArray<long>(x.mul_(x).sum([0, 2, 3], type: ScalarType.Int64));
                for (int c = 0; c < 3; c++) { sum[c] += s[c] / 255.0; sumSquares[c] += q[c] / (255.0 * 255.0); }
            }
        }
        double pixels = (double)count * uint8Images.shape[2] * uint8Images.shape[3];
        var mean = sum.Select(s => s / pixels).ToArray();
        var std = sumSquares.Select((q, c) => Math.Sqrt(Math.Max(q / pixels - mean[c] * mean[c], 1e-12))).ToArray();
        return new Normalization(mean.Select(m => (float)m).ToArray(), std.Select(s => (float)Math.Max(s, 1e-3)).ToArray());
    }
}
