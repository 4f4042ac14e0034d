using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// SimCLR's view augmentation, batched with per-image random parameters: random resized crop and
/// horizontal flip (one affine_grid + grid_sample), colour jitter (brightness, contrast, saturation,
/// hue, applied in that order with probability p), random grayscale, optional Gaussian blur and
/// solarisation, and normalisation. The parameters come from <see cref="ViewParameters"/>, so views are reproducible
/// from a seed whatever the device, and the pixel work runs on the images' device without the host
/// waiting for it.
/// </summary>
public sealed class ViewAugmentation(TrainingConfig config, Normalization normalization)
{
    public Tensor Apply(Tensor images, Generator generator)
    {
        int batch = (int)images.shape[0];
        using var scope = NewDisposeScope();
        var parameters = ViewParameters.Sample(config, batch, config.ImageSize, generator).To(images.device);
        var x = images.to_type(ScalarType.Float32).div_(255.0);
        var grid = F.affine_grid(parameters.Theta, [batch, 3, config.ImageSize, config.ImageSize], align_corners: false);
        x = F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        if (config.ColorJitterProbability > 0) x = ColorJitter(x, parameters);
        if (config.GrayscaleProbability > 0) x = where(parameters.Grayscale, ColorSpace.Grayscale(x).expand_as(x), x);
        if (parameters.BlurKernel is { } kernel) x = GaussianBlur(x, kernel);
        // torchvision's RandomSolarize(threshold 0.5): pixels at or above the threshold are inverted.
        if (parameters.Solarize is { } solarize) x = where(solarize.logical_and(x >= 0.5), 1 - x, x);
        return normalization.Apply(x).MoveToOuterDisposeScope();
    }

    private Tensor ColorJitter(Tensor x, ViewParameters p)
    {
        if (config.Brightness > 0) x = (x * p.Brightness).clamp_(0, 1);
        if (config.Contrast > 0)
        {
            var mean = ColorSpace.Grayscale(x).mean([1, 2, 3], keepdim: true);
            x = ((x - mean) * p.Contrast + mean).clamp_(0, 1);
        }
        if (config.Saturation > 0)
        {
            var grey = ColorSpace.Grayscale(x);
            x = ((x - grey) * p.Saturation + grey).clamp_(0, 1);
        }
        if (config.Hue > 0)
        {
            var (hue, sat, value) = ColorSpace.RgbToHsv(x);
            x = ColorSpace.HsvToRgb((hue + p.HueShift).remainder(1.0), sat, value);
        }
        return x;
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
}
