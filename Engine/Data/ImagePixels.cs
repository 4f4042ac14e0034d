using SkiaSharp;

namespace AspireSimClr.Imaging;

/// <summary>
/// How an image becomes a model's input pixels: the shorter side resized to the model's size (Mitchell cubic), a centre
/// crop, RGB in CHW order as bytes. One source file compiled into the engine and into the embedding library, so that
/// an exported model sees exactly what training saw.
/// </summary>
internal static class ImagePixels
{
    /// <summary>The largest image decoded from bytes (RGBA: 200 MB).</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>
    /// Decodes an encoded image (JPEG, PNG, WebP, …) into <paramref name="chw"/>; null when done, else what is wrong with it.
    /// SKBitmap.Decode throws for bytes no codec recognises; a codec of null says it plainly.
    /// </summary>
    public static string? TryDecodeInto(ReadOnlySpan<byte> encodedImage, int size, Span<byte> chw)
    {
        using var data = SKData.CreateCopy(encodedImage);
        using var codec = SKCodec.Create(data);
        // A few compressed bytes can declare a huge image: its size is checked before any pixel is decoded.
        if (codec is { Info: var info } && (long)info.Width * info.Height > MaxPixels)
            return $"is {info.Width} × {info.Height} pixels; at most {MaxPixels / 1_000_000} million are decoded.";
        using var decoded = codec is null ? null : SKBitmap.Decode(codec);
        if (decoded is null) return "cannot be decoded as an image (corrupt or unsupported format).";
        return TryResizeInto(decoded, size, chw) ? null : "could not be resized.";
    }

    /// <summary>Writes size × size × 3 bytes (CHW) into <paramref name="chw"/>; false if Skia cannot resize the image.</summary>
    public static bool TryResizeInto(SKBitmap decoded, int size, Span<byte> chw)
    {
        double scale = (double)size / Math.Min(decoded.Width, decoded.Height);
        int width = Math.Max(size, (int)Math.Round(decoded.Width * scale));
        int height = Math.Max(size, (int)Math.Round(decoded.Height * scale));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = width == decoded.Width && height == decoded.Height && decoded.ColorType == SKColorType.Rgba8888
            ? decoded.Copy()
            : decoded.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (resized is null) return false;
        using var rgba = resized.ColorType == SKColorType.Rgba8888 ? resized.Copy() : resized.Copy(SKColorType.Rgba8888);

        var source = rgba.GetPixelSpan();
        int left = (width - size) / 2, top = (height - size) / 2, plane = size * size;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int s = ((top + y) * rgba.RowBytes) + (left + x) * 4;
                int d = y * size + x;
                chw[d] = source[s];
                chw[plane + d] = source[s + 1];
                chw[2 * plane + d] = source[s + 2];
            }
        }
        return true;
    }
}
