using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>Colour-space helpers on float RGB batches [B, 3, H, W] in [0, 1], as torchvision defines them.</summary>
public static class ColorSpace
{
    /// <summary>
    /// torchvision's hue adjustment (to HSV, shift the hue, back to RGB) in about twenty elementwise operations
    /// rather than fifty. A hue shift keeps each pixel's value V (its largest channel) and chroma C (largest less
    /// smallest), so only the hexcone hue h ∈ [0, 6) is needed, computed as torchvision does from the distances
    /// d = (V − c) / C: b−g, 2 + r−b or 4 + g−r in d by the sector of the largest channel, red before green before
    /// blue. Then channel n = 5, 3, 1 (R, G, B) is V − C·clamp(min(k, 4 − k), 0, 1) with k = (n + h + 6·shift) mod 6.
    /// Where C = 0 every channel is V whatever the hue. (A 1×1 convolution and an argmax over the channels would
    /// be fewer operations but ran 10 times slower on the CPU.)
    /// </summary>
    /// <param name="shiftTurns">[B, 1, 1, 1] hue shifts in turns.</param>
    /// <param name="constants">The <see cref="HueConstants"/> on the images' device.</param>
    public static Tensor ShiftHue(Tensor rgb, Tensor shiftTurns, HueConstants constants)
    {
        var value = rgb.amax([1], keepdim: true);
        var chroma = value - rgb.amin([1], keepdim: true);
        var distances = (value - rgb).div_(chroma.clamp_min(1e-12));
        // Sector candidates per channel i: d[i+2] − d[i+1] + 2i (bc − gc, 2 + rc − bc, 4 + gc − rc).
        var candidates = distances.roll(-2, 1).sub_(distances.roll(-1, 1)).add_(constants.SectorOffsets);
        var largest = rgb.eq(value).unbind(1);
        var sector = candidates.unbind(1);
        var hue = where(largest[0], sector[0], where(largest[1], sector[1], sector[2])).unsqueeze(1);
        var k = constants.ChannelPhases.add(hue.add_(shiftTurns, alpha: 6)).remainder_(6.0);
        var ramp = minimum(k, k.neg().add_(4.0)).clamp_(0.0, 1.0);
        return value.addcmul(chroma, ramp, -1.0);
    }

    /// <summary>The fixed tensors of <see cref="ShiftHue"/>, made once per device.</summary>
    public sealed record HueConstants(Tensor SectorOffsets, Tensor ChannelPhases) : IDisposable
    {
        public static HueConstants On(Device device)
        {
            using var offsets = tensor(new float[] { 0, 2, 4 }, [1, 3, 1, 1]);
            using var phases = tensor(new float[] { 5, 3, 1 }, [1, 3, 1, 1]);
            return new HueConstants(offsets.to(device).DetachFromDisposeScope(), phases.to(device).DetachFromDisposeScope());
        }

        public void Dispose()
        {
            SectorOffsets.Dispose();
            ChannelPhases.Dispose();
        }
    }

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
