using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Methods;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// Shows what a config's augmentation does: a few training images, each beside one draw of every view of
/// the config's method, produced by the same <see cref="ViewAugmentation"/> and seeding as the run's first
/// step (the views are shown before normalisation, at the sides of that step: progressive resolution starts the full-size
/// views smaller), with the views' crop overlap and advice on the settings.
/// </summary>
public static class AugmentationPreviewer
{
    public const int MaxImages = 16;
    public const int MaxDraw = 1_000_000;
    private const int OverlapPairs = 4096;

    /// <param name="draw">0 shows the run's own first draws; another number draws other images and views.</param>
    public static AugmentationPreview Render(TrainingConfig config, int images, int draw = 0, CancellationToken cancellationToken = default)
    {
        if (images is < 1 or > MaxImages) throw new ArgumentOutOfRangeException(nameof(images), images, $"must be from 1 to {MaxImages}.");
        if (draw is < 0 or > MaxDraw) throw new ArgumentOutOfRangeException(nameof(draw), draw, $"must be from 0 to {MaxDraw}.");
        long seed = config.Seed + draw;
        var census = FolderCensus.SplitFolders(config) is { } folders
            ? (Train: FolderCensus.Take(folders.Train, cancellationToken), Test: folders.Test is null ? null : FolderCensus.Take(folders.Test, cancellationToken))
            : default;
        var views = SslMethods.Views(config);
        var overlap = CropOverlap.Measure(views[0], views[Math.Min(1, views.Count - 1)], OverlapPairs, seed);
        var advice = SettingsAdvisor.Advise(config, overlap, census.Train, census.Test);

        using var samples = SampleImages.Pick(config, images, seed, cancellationToken);
        using var scope = NewDisposeScope();
        using var generator = new Generator(0);
        generator.manual_seed(unchecked(seed * 1_000_003));
        var unnormalised = new Normalization([0f, 0f, 0f], [1f, 1f, 1f]);
        // The full-size views at the run's first side (progressive resolution starts them smaller), as its first step draws them.
        int firstSide = ProgressiveResolution.SideAt(config, 0);
        var sides = views.Select(view => view.ImageSize == config.ImageSize ? firstSide : view.ImageSize).ToList();
        var drawn = views.Select((view, v) => ToBytes(new ViewAugmentation(view, unnormalised).Apply(samples.Images, generator, sides[v]))).ToList();
        var originals = ToBytes(samples.Images.to_type(ScalarType.Float32).div(255.0));

        int size = config.ImageSize, pixels = 3 * size * size;
        var result = new List<PreviewSample>(samples.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            string? className = samples.Labels is { } labels ? samples.ClassNames[(int)labels[i]] : null;
            result.Add(new PreviewSample(className,
                PngImage.Encode(originals.AsSpan(i * pixels, pixels), size, size),
                drawn.Select((view, v) => ViewPng(view, i, sides[v])).ToList()));
        }
        return new AugmentationPreview(size, seed, views.Select((view, index) => Describe(view, index, config.ImageSize, sides[index], ProgressiveResolution.EndSide(config))).ToList(), result, overlap, advice);
    }

    /// <summary>Image <paramref name="image"/> of a view's pixels, at the view's own side (small crops are smaller).</summary>
    private static byte[] ViewPng(byte[] view, int image, int side)
    {
        int pixels = 3 * side * side;
        return PngImage.Encode(view.AsSpan(image * pixels, pixels), side, side);
    }

    /// <param name="endSide">The side the full-size views grow to under progressive resolution.</param>
    private static string Describe(TrainingConfig view, int index, int imageSize, int side, int endSide) =>
        view.ImageSize != imageSize ? $"view {index + 1} (small crop, {view.ImageSize} px)"
        : (view.SolarizeProbability > 0, side != imageSize) switch
        {
            (true, true) => $"view {index + 1} (solarised with p {view.SolarizeProbability:0.##}; {side} px in the first epoch)",
            (true, false) => $"view {index + 1} (solarised with p {view.SolarizeProbability:0.##})",
            (false, true) when side == endSide => $"view {index + 1} ({side} px throughout)",
            (false, true) => $"view {index + 1} ({side} px in the first epoch, growing to {endSide})",
            _ => $"view {index + 1}",
        };

    private static byte[] ToBytes(Tensor unitImages) =>
        HostArrays.ToArray<byte>(unitImages.mul(255.0).round_().clamp_(0, 255).to_type(ScalarType.Byte));
}
