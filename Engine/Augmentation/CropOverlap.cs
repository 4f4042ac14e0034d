using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// How much the random resized crops of two views of one image overlap, measured by drawing many pairs
/// from the view sampler itself: crops that rarely overlap leave the views nothing in common to agree on.
/// </summary>
public static class CropOverlap
{
    public static ViewOverlap Measure(TrainingConfig first, TrainingConfig second, int pairs, long seed)
    {
        using var generator = new Generator(0);
        generator.manual_seed(seed);
        var a = Boxes(ViewParameters.Sample(first, pairs, first.ImageSize, generator).Theta);
        var b = Boxes(ViewParameters.Sample(second, pairs, second.ImageSize, generator).Theta);
        double iouSum = 0;
        int disjoint = 0;
        for (int i = 0; i < pairs; i++)
        {
            double width = Math.Min(a[i].Right, b[i].Right) - Math.Max(a[i].Left, b[i].Left);
            double height = Math.Min(a[i].Bottom, b[i].Bottom) - Math.Max(a[i].Top, b[i].Top);
            double intersection = width > 0 && height > 0 ? width * height : 0;
            if (intersection == 0) disjoint++;
            iouSum += intersection / (a[i].Area + b[i].Area - intersection);
        }
        return new ViewOverlap(pairs, iouSum / pairs, (double)disjoint / pairs);
    }

    private readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public double Area => (Right - Left) * (Bottom - Top);
    }

    /// <summary>
    /// The crop box of each affine transform in the image's normalised coordinates: affine_grid maps the output's
    /// [-1, 1] to centre ± |scale| of the input (a flip negates the scale, the box stays).
    /// </summary>
    private static Box[] Boxes(float[] values) => Enumerable.Range(0, values.Length / 6).Select(i =>
        {
            double halfWidth = Math.Abs(values[i * 6]), centreX = values[i * 6 + 2];
            double halfHeight = Math.Abs(values[i * 6 + 4]), centreY = values[i * 6 + 5];
            return new Box(centreX - halfWidth, centreY - halfHeight, centreX + halfWidth, centreY + halfHeight);
        }).ToArray();
}
