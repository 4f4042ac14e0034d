using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// SimCLR's view augmentation, batched with per-image random parameters: random resized crop and
/// horizontal flip (one affine_grid + grid_sample), colour jitter (brightness, contrast, saturation,
/// hue, applied in that order with probability p, each clamped to [0, 1]), random grayscale, optional
/// Gaussian blur and solarisation, and normalisation. The parameters come from <see cref="ViewParameters"/>,
/// so views are reproducible from a seed whatever the device, and reach the device in one copy; the pixel
/// work runs there without the host waiting for it. The linear steps are folded together: the scaling of
/// bytes to [0, 1] into the brightness factor, and grayscale and normalisation (and the blur, which commutes
/// with them) into one per-image 3 × 3 colour matrix, so a view costs a few dozen operations.
/// </summary>
public sealed class ViewAugmentation(TrainingConfig config, Normalization normalization)
{
    private static readonly float[] Luma = [0.299f, 0.587f, 0.114f];   // ITU-R 601, as torchvision's grayscale
    private DeviceConstants? _constants;

    /// <param name="side">The views' side in pixels, when it is not the view's image size (progressive resolution).</param>
    public Tensor Apply(Tensor images, Generator generator, int? side = null)
    {
        int batch = (int)images.shape[0], size = side ?? config.ImageSize;
        using var scope = NewDisposeScope();
        var drawn = ViewParameters.Sample(config, batch, size, generator);
        var device = images.device;
        var p = DeviceParameters.Copy(drawn, config, normalization, device);
        var grid = F.affine_grid(p.Theta, [batch, 3, size, size], align_corners: false);
        var x = F.grid_sample(images.to_type(ScalarType.Float32), grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        x.mul_(p.Brightness);   // bytes to [0, 1] times the brightness factor
        if (config.ColorJitterProbability > 0) x = ColorJitter(x, p, Constants(device));
        bool solarize = config.SolarizeProbability > 0;
        x = ColourMatrix(x, p.Colour, solarize ? null : p.ColourOffset);
        if (p.BlurKernel is { } kernel) x = GaussianBlur(x, kernel);
        if (solarize)
        {
            // torchvision's RandomSolarize(threshold 0.5): pixels at or above the threshold are inverted.
            x = where(p.Solarize!.logical_and(x >= 0.5), 1 - x, x);
            x = normalization.Apply(x);
        }
        return x.MoveToOuterDisposeScope();
    }

    private Tensor ColorJitter(Tensor x, DeviceParameters p, DeviceConstants constants)
    {
        if (config.Brightness > 0) x.clamp_(0.0, 1.0);
        if (config.Contrast > 0)
        {
            var meanLuma = x.mean([2, 3], keepdim: true).mul_(constants.Luma).sum(1, keepdim: true);
            x.mul_(p.Contrast).add_(meanLuma.mul_(p.OneMinusContrast)).clamp_(0.0, 1.0);
        }
        if (config.Saturation > 0)
        {
            // A product and a sum over the channels: a 1×1 convolution was 10 times slower on the CPU.
            var luma = x.mul(constants.Luma).sum(1, keepdim: true);
            x.mul_(p.Saturation).add_(luma.mul_(p.OneMinusSaturation)).clamp_(0.0, 1.0);
        }
        if (config.Hue > 0) x = ColorSpace.ShiftHue(x, p.HueShift, constants.Hue);
        return x;
    }

    /// <summary>Every pixel's colour times its image's 3 × 3 matrix, plus its offset: one batched product.</summary>
    private static Tensor ColourMatrix(Tensor x, Tensor matrix, Tensor? offset)
    {
        var shape = x.shape;
        var pixels = x.reshape(shape[0], 3, -1);
        var result = matrix.bmm(pixels);
        if (offset is not null) result.add_(offset);
        return result.view(shape);
    }

    /// <summary>One depthwise convolution over B·3 channels, each image with its own kernel, separably.</summary>
    private static Tensor GaussianBlur(Tensor x, Tensor kernels)
    {
        int batch = (int)x.shape[0], size = (int)x.shape[2], kernel = (int)kernels.shape[1];
        var perChannel = kernels.repeat_interleave(3, dim: 0);
        var planes = x.reshape(1, batch * 3, size, size);
        int pad = kernel / 2;
        planes = F.conv2d(F.pad(planes, [pad, pad, 0, 0], TorchSharp.PaddingModes.Reflect), perChannel.view(batch * 3, 1, 1, kernel), groups: batch * 3);
        planes = F.conv2d(F.pad(planes, [0, 0, pad, pad], TorchSharp.PaddingModes.Reflect), perChannel.view(batch * 3, 1, kernel, 1), groups: batch * 3);
        return planes.view(batch, 3, size, size);
    }

    /// <summary>The fixed tensors of the colour jitter, made on the device once (the device of a run does not change).</summary>
    private DeviceConstants Constants(Device device)
    {
        if (_constants is { } known && known.Device.type == device.type && known.Device.index == device.index) return known;
        using var luma = tensor(Luma, [1, 3, 1, 1]);
        return _constants = new DeviceConstants(device, luma.to(device).DetachFromDisposeScope(), ColorSpace.HueConstants.On(device));
    }

    private sealed record DeviceConstants(Device Device, Tensor Luma, ColorSpace.HueConstants Hue);

    /// <summary>Strides of a row-major block of <paramref name="count"/> values laid out as <paramref name="shape"/>.</summary>
    private static long[] ContiguousStrides(long[] shape, int count)
    {
        var strides = new long[shape.Length];
        long stride = count;
        for (int i = 0; i < shape.Length; i++)
        {
            stride /= shape[i];
            strides[i] = stride;
        }
        return strides;
    }

    /// <summary>A batch's parameters on the device, packed on the host into one tensor and copied once.</summary>
    private sealed record DeviceParameters(Tensor Theta, Tensor Brightness, Tensor Contrast, Tensor OneMinusContrast, Tensor Saturation,
        Tensor OneMinusSaturation, Tensor HueShift, Tensor Colour, Tensor ColourOffset, Tensor? BlurKernel, Tensor? Solarize)
    {
        private const int Fixed = 6 + 6 + 9 + 3;

        public static DeviceParameters Copy(ViewParameters drawn, TrainingConfig config, Normalization normalization, Device device)
        {
            int batch = drawn.Batch, blur = drawn.BlurKernelSize, width = Fixed + blur + 1;
            bool solarize = config.SolarizeProbability > 0;
            var packed = new float[batch * width];
            for (int i = 0; i < batch; i++)
            {
                var row = packed.AsSpan(i * width, width);
                drawn.Theta.AsSpan(i * 6, 6).CopyTo(row);
                row[6] = drawn.Brightness[i] / 255f;
                row[7] = drawn.Contrast[i];
                row[8] = 1 - drawn.Contrast[i];
                row[9] = drawn.Saturation[i];
                row[10] = 1 - drawn.Saturation[i];
                row[11] = drawn.HueShift[i];
                for (int r = 0; r < 3; r++)
                {
                    // Normalisation after grayscale; with solarisation, which needs the unnormalised colours, grayscale alone.
                    float scale = solarize ? 1 : 1 / normalization.Std[r];
                    for (int c = 0; c < 3; c++) row[12 + r * 3 + c] = scale * (drawn.Grayscale[i] ? Luma[c] : r == c ? 1 : 0);
                    row[21 + r] = solarize ? 0 : -normalization.Mean[r] / normalization.Std[r];
                }
                drawn.BlurKernels?.AsSpan(i * blur, blur).CopyTo(row[Fixed..]);
                row[Fixed + blur] = drawn.Solarize[i] ? 1 : 0;
            }
            using var host = tensor(packed, [batch, width]);
            var all = HostToDevice.Copy(host, device);
            // One view per parameter straight onto the packed rows (as_strided: a narrow and a reshape would be two operations).
            Tensor Columns(int first, int count, params long[] shape) =>
                all.as_strided(shape, [width, .. ContiguousStrides(shape[1..], count)], first);
            return new DeviceParameters(
                Columns(0, 6, batch, 2, 3),
                Columns(6, 1, batch, 1, 1, 1),
                Columns(7, 1, batch, 1, 1, 1),
                Columns(8, 1, batch, 1, 1, 1),
                Columns(9, 1, batch, 1, 1, 1),
                Columns(10, 1, batch, 1, 1, 1),
                Columns(11, 1, batch, 1, 1, 1),
                Columns(12, 9, batch, 3, 3),
                Columns(21, 3, batch, 3, 1),
                blur > 0 ? Columns(Fixed, blur, batch, blur) : null,
                solarize ? Columns(Fixed + blur, 1, batch, 1, 1, 1).gt(0.5) : null);
        }
    }
}
