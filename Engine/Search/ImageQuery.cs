using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Search;

/// <summary>A query image's representation from a trained encoder, prepared as training prepares images (see <see cref="Imaging.ImagePixels"/>).</summary>
public static class ImageQuery
{
    /// <summary>Throws <see cref="InvalidDataException"/> for bytes that are not an image SkiaSharp decodes.</summary>
    public static float[] Embed(TrainedModel model, ReadOnlySpan<byte> encodedImage)
    {
        int size = model.Config.ImageSize;
        var pixels = new byte[3 * size * size];
        if (Imaging.ImagePixels.TryDecodeInto(encodedImage, size, pixels) is { } problem) throw new InvalidDataException(problem);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = model.Normalization.Prepare(tensor(pixels, [1, 3, size, size]).to(model.Device), size);
        model.Network.Encoder.eval();
        return HostArrays.ToArray<float>(model.Network.Encoder.call(input));
    }
}
