using SkiaSharp;

namespace AspireSimClr.Engine.Data;

/// <summary>Encodes CHW uint8 RGB pixels as a PNG file's bytes.</summary>
public static class PngImage
{
    public static byte[] Encode(ReadOnlySpan<byte> chw, int width, int height)
    {
        int plane = width * height;
        if (chw.Length != 3 * plane) throw new ArgumentException($"expected {3 * plane} bytes of CHW pixels, got {chw.Length}.", nameof(chw));
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = bitmap.GetPixelSpan();
        for (int i = 0; i < plane; i++)
        {
            rgba[i * 4] = chw[i];
            rgba[i * 4 + 1] = chw[plane + i];
            rgba[i * 4 + 2] = chw[2 * plane + i];
            rgba[i * 4 + 3] = 255;
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
