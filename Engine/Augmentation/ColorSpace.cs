using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>Colour-space helpers on float RGB batches [B, 3, H, W] in [0, 1], as torchvision defines them.</summary>
public static class ColorSpace
{
    /// <summary>ITU-R 601 luma, [B, 1, H, W].</summary>
    public static Tensor Grayscale(Tensor rgb)
    {
        var channels = rgb.unbind(1);
        return (channels[0] * 0.299 + channels[1] * 0.587 + channels[2] * 0.114).unsqueeze(1);
    }

    /// <summary>Returns hue in [0, 1), saturation and value, each [B, H, W].</summary>
    public static (Tensor Hue, Tensor Saturation, Tensor Value) RgbToHsv(Tensor rgb)
    {
        var channels = rgb.unbind(1);
        Tensor r = channels[0], g = channels[1], b = channels[2];
        var maxc = rgb.amax(1);
        var minc = rgb.amin(1);
        var equal = maxc == minc;
        var chroma = maxc - minc;
        var ones = ones_like(maxc);
        var saturation = chroma / where(equal, ones, maxc);
        var divisor = where(equal, ones, chroma);
        var rc = (maxc - r) / divisor;
        var gc = (maxc - g) / divisor;
        var bc = (maxc - b) / divisor;
        var isRed = maxc == r;
        var isGreen = (maxc == g).logical_and(isRed.logical_not());
        var isBlue = isRed.logical_or(maxc == g).logical_not();
        var hue = (isRed * (bc - gc)) + (isGreen * (2.0 + rc - bc)) + (isBlue * (4.0 + gc - rc));
        hue = (hue / 6.0 + 1.0).remainder(1.0);
        return (hue, saturation, maxc);
    }

    /// <summary>HSV to RGB with the closed form f(n) = V − V·S·clamp(min(k, 4 − k), 0, 1), k = (n + 6H) mod 6.</summary>
    public static Tensor HsvToRgb(Tensor hue, Tensor saturation, Tensor value)
    {
        // n = 5, 3, 1, made on the device (a host copy would synchronise with the GPU).
        using var n = arange(3, dtype: ScalarType.Float32, device: hue.device).mul_(-2).add_(5).view(1, 3, 1, 1);
        var k = (n + hue.unsqueeze(1) * 6.0).remainder(6.0);
        var ramp = minimum(k, 4.0 - k).clamp(0.0, 1.0);
        var v = value.unsqueeze(1);
        return v - v * saturation.unsqueeze(1) * ramp;
    }
}
