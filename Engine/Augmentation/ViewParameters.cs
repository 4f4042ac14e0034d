using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// The random parameters of one batch of views, one set per image, drawn on the CPU from a seeded
/// generator (so views do not depend on the device) and moved to the device in a single copy.
/// </summary>
public sealed record ViewParameters(
    Tensor Theta,           // [B, 2, 3] affine crop-and-flip transform for affine_grid
    Tensor Brightness,      // [B, 1, 1, 1] factors, 1 where colour jitter is not applied
    Tensor Contrast,        // [B, 1, 1, 1]
    Tensor Saturation,      // [B, 1, 1, 1]
    Tensor HueShift,        // [B, 1, 1], 0 where colour jitter is not applied
    Tensor Grayscale,       // [B, 1, 1, 1] bool
    Tensor? BlurKernel,     // [B, K] normalised 1-d Gaussian, a unit impulse where blur is not applied
    Tensor? Solarize)       // [B, 1, 1, 1] bool, null when solarisation is off
{
    private const int CropAttempts = 10;

    public static ViewParameters Sample(TrainingConfig config, int batch, int imageSize, Generator generator)
    {
        var theta = CropAndFlip(config, batch, generator);

        // A transform with probability 0 draws nothing, so switching one off leaves the others' draws as they were.
        var jitter = config.ColorJitterProbability > 0 ? rand(batch, generator: generator) < config.ColorJitterProbability : null;
        Tensor Factor(double identity, double low, double high) => jitter is null
            ? full([batch, 1, 1, 1], (float)identity)
            : where(jitter, Uniform([batch], low, high, generator), (float)identity).view(batch, 1, 1, 1);
        var brightness = Factor(1, Math.Max(0, 1 - config.Brightness), 1 + config.Brightness);
        var contrast = Factor(1, Math.Max(0, 1 - config.Contrast), 1 + config.Contrast);
        var saturation = Factor(1, Math.Max(0, 1 - config.Saturation), 1 + config.Saturation);
        var hueShift = Factor(0, -config.Hue, config.Hue).view(batch, 1, 1);

        var grayscale = config.GrayscaleProbability > 0
            ? (rand(batch, generator: generator) < config.GrayscaleProbability).view(batch, 1, 1, 1)
            : zeros([batch, 1, 1, 1], dtype: ScalarType.Bool);
        var blur = config.BlurProbability > 0 ? BlurKernels(config, batch, BlurKernelSize(imageSize), generator) : null;
        var solarize = config.SolarizeProbability > 0 ? (rand(batch, generator: generator) < config.SolarizeProbability).view(batch, 1, 1, 1) : null;
        return new ViewParameters(theta, brightness, contrast, saturation, hueShift, grayscale, blur, solarize);
    }

    /// <summary>torchvision's GaussianBlur kernel size for SimCLR: about a tenth of the image side, odd, at least 3.</summary>
    public static int BlurKernelSize(int imageSize) => Math.Max(3, (int)Math.Round(0.1 * imageSize) | 1);

    /// <summary>All parameters on <paramref name="device"/>, packed into one float tensor for a single copy.</summary>
    public ViewParameters To(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CPU) return this;
        int batch = (int)Theta.shape[0];
        var parts = new List<Tensor> { Theta, Brightness, Contrast, Saturation, HueShift, Grayscale };
        if (BlurKernel is not null) parts.Add(BlurKernel);
        if (Solarize is not null) parts.Add(Solarize);
        var columns = parts.Select(p => p.reshape(batch, -1).to_type(ScalarType.Float32)).ToList();
        var packed = HostToDevice.Copy(cat(columns, 1), device);
        var widths = columns.Select(c => c.shape[1]).ToArray();
        var offsets = widths.Select((_, i) => widths.Take(i).Sum()).ToArray();
        Tensor Part(int i) => packed.narrow(1, offsets[i], widths[i]).reshape(parts[i].shape);
        int next = 6;
        var blur = BlurKernel is null ? null : Part(next++);
        var solarize = Solarize is null ? null : Part(next).gt(0.5);
        return new ViewParameters(Part(0), Part(1), Part(2), Part(3), Part(4), Part(5).gt(0.5), blur, solarize);
    }

    private static Tensor CropAndFlip(TrainingConfig config, int batch, Generator generator)
    {
        // torchvision's RandomResizedCrop: area fraction and log-uniform aspect ratio, up to 10
        // attempts for a crop that fits, else the whole image (a square image's centre crop).
        var area = Uniform([batch, CropAttempts], config.CropScaleMin, config.CropScaleMax, generator);
        var ratio = Uniform([batch, CropAttempts], Math.Log(config.CropRatioMin), Math.Log(config.CropRatioMax), generator).exp_();
        var width = (area * ratio).sqrt_();
        var height = (area / ratio).sqrt_();
        var fits = (width <= 1.0).logical_and(height <= 1.0);
        var first = fits.to_type(ScalarType.Int32).argmax(1, keepdim: true);
        var anyFits = fits.any(1);
        var w = where(anyFits, width.gather(1, first).squeeze(1), 1.0f);
        var h = where(anyFits, height.gather(1, first).squeeze(1), 1.0f);
        var centreX = rand(batch, generator: generator) * (1 - w) + w / 2;
        var centreY = rand(batch, generator: generator) * (1 - h) + h / 2;
        var flip = where(rand(batch, generator: generator) < config.FlipProbability, -1.0f, 1.0f);
        var zeros = zeros_like(w);
        return stack([w * flip, zeros, centreX * 2 - 1, zeros, h, centreY * 2 - 1], 1).view(batch, 2, 3);
    }

    private static Tensor BlurKernels(TrainingConfig config, int batch, int kernel, Generator generator)
    {
        var sigma = Uniform([batch], config.BlurSigmaMin, config.BlurSigmaMax, generator);
        var apply = rand(batch, generator: generator) < config.BlurProbability;
        var offsets = arange(kernel, dtype: ScalarType.Float32) - kernel / 2;
        var weights = (-(offsets.square().unsqueeze(0)) / (2 * sigma.square().unsqueeze(1))).exp_();
        weights = weights / weights.sum(1, keepdim: true);
        var identity = zeros(kernel);
        identity[kernel / 2] = tensor(1.0f);
        return where(apply.unsqueeze(1), weights, identity.unsqueeze(0));
    }

    private static Tensor Uniform(long[] shape, double low, double high, Generator generator) =>
        rand(shape, generator: generator) * (high - low) + low;
}
