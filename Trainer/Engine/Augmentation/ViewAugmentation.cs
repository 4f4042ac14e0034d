using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Trainer.Engine.Augmentation;

/// <summary>
/// SimCLR's view augmentation, batched with per-image random parameters: random resized crop and
/// horizontal flip (one affine_grid + grid_sample), colour jitter (brightness, contrast, saturation,
/// hue, applied in that order with probability p), random grayscale, optional Gaussian blur, and
/// normalisation. Random parameters are drawn from the given CPU generator, so views are reproducible
/// from a seed whatever the device.
/// </summary>
public sealed class ViewAugmentation(SimClrConfig config, Normalization normalization)
{
    private const int CropAttempts = 10;

    public Tensor Apply(Tensor images, Generator generator)
    {
        int batch = (int)images.shape[0];
        var device = images.device;
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32).div_(255.0);
        x = CropAndFlip(x, batch, generator, device);
        x = ColorJitter(x, batch, generator, device);
        x = RandomGrayscale(x, batch, generator, device);
        if (config.BlurProbability > 0) x = GaussianBlur(x, batch, generator, device);
        return normalization.Apply(x).MoveToOuterDisposeScope();
    }

    private Tensor CropAndFlip(Tensor x, int batch, Generator generator, Device device)
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
        var theta = stack([w * flip, zeros, centreX * 2 - 1, zeros, h, centreY * 2 - 1], 1).view(batch, 2, 3).to(device);
        var grid = F.affine_grid(theta, [batch, 3, config.ImageSize, config.ImageSize], align_corners: false);
        return F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }

    private Tensor ColorJitter(Tensor x, int batch, Generator generator, Device device)
    {
        if (config.ColorJitterProbability <= 0) return x;
        var apply = rand(batch, generator: generator) < config.ColorJitterProbability;
        Tensor Factor(double strength, double identity, double low, double high) =>
            where(apply, Uniform([batch], low, high, generator), (float)identity).to(device).view(batch, 1, 1, 1);

        var brightness = Factor(config.Brightness, 1, Math.Max(0, 1 - config.Brightness), 1 + config.Brightness);
        var contrast = Factor(config.Contrast, 1, Math.Max(0, 1 - config.Contrast), 1 + config.Contrast);
        var saturation = Factor(config.Saturation, 1, Math.Max(0, 1 - config.Saturation), 1 + config.Saturation);
        var hueShift = Factor(config.Hue, 0, -config.Hue, config.Hue).view(batch, 1, 1);

        if (config.Brightness > 0) x = (x * brightness).clamp_(0, 1);
        if (config.Contrast > 0)
        {
            var mean = ColorSpace.Grayscale(x).mean([1, 2, 3], keepdim: true);
            x = ((x - mean) * contrast + mean).clamp_(0, 1);
        }
        if (config.Saturation > 0)
        {
            var grey = ColorSpace.Grayscale(x);
            x = ((x - grey) * saturation + grey).clamp_(0, 1);
        }
        if (config.Hue > 0)
        {
            var (hue, sat, value) = ColorSpace.RgbToHsv(x);
            x = ColorSpace.HsvToRgb((hue + hueShift).remainder(1.0), sat, value);
        }
        return x;
    }

    private Tensor RandomGrayscale(Tensor x, int batch, Generator generator, Device device)
    {
        if (config.GrayscaleProbability <= 0) return x;
        var apply = (rand(batch, generator: generator) < config.GrayscaleProbability).to(device).view(batch, 1, 1, 1);
        return where(apply, ColorSpace.Grayscale(x).expand_as(x), x);
    }

    private Tensor GaussianBlur(Tensor x, int batch, Generator generator, Device device)
    {
        int size = (int)x.shape[2];
        int kernel = Math.Max(3, (int)Math.Round(0.1 * size) | 1);
        var sigma = Uniform([batch], config.BlurSigmaMin, config.BlurSigmaMax, generator);
        var apply = rand(batch, generator: generator) < config.BlurProbability;
        var offsets = arange(kernel, dtype: ScalarType.Float32) - kernel / 2;
        var weights = (-(offsets.square().unsqueeze(0)) / (2 * sigma.square().unsqueeze(1))).exp_();
        weights = weights / weights.sum(1, keepdim: true);
        var identity = zeros(kernel);
        identity[kernel / 2] = tensor(1.0f);
        weights = where(apply.unsqueeze(1), weights, identity.unsqueeze(0)).to(device);

        // One depthwise convolution over B·3 channels, each image with its own kernel.
        var perChannel = weights.repeat_interleave(3, dim: 0);
        var planes = x.reshape(1, batch * 3, size, size);
        int pad = kernel / 2;
        planes = F.conv2d(F.pad(planes, [pad, pad, 0, 0], TorchSharp.PaddingModes.Reflect), perChannel.view(batch * 3, 1, 1, kernel), groups: batch * 3);
        planes = F.conv2d(F.pad(planes, [0, 0, pad, pad], TorchSharp.PaddingModes.Reflect), perChannel.view(batch * 3, 1, kernel, 1), groups: batch * 3);
        return planes.view(batch, 3, size, size);
    }

    private static Tensor Uniform(long[] shape, double low, double high, Generator generator) =>
        rand(shape, generator: generator) * (high - low) + low;
}
