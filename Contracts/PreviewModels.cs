namespace AspireSimClr.Contracts;

/// <summary>
/// What a config's augmentation does to a few training images: each image beside one draw of each of the
/// method's views, from the exact pipeline and seed a run uses, with how much two views overlap and advice
/// on settings that make self-supervised training fail.
/// </summary>
/// <param name="Seed">The seed the images and views were drawn with (the run's seed plus the draw number).</param>
/// <param name="Views">A label per view, in order (what sets a view apart, e.g. solarisation on BYOL's second view).</param>
public sealed record AugmentationPreview(
    int ImageSize,
    long Seed,
    IReadOnlyList<string> Views,
    IReadOnlyList<PreviewSample> Samples,
    ViewOverlap Overlap,
    IReadOnlyList<SettingAdvice> Advice);

/// <summary>One training image and its views, each a PNG of ImageSize × ImageSize pixels (base64 in JSON).</summary>
public sealed record PreviewSample(string? ClassName, byte[] Original, IReadOnlyList<byte[]> Views);

/// <summary>How much the random crops of the first two views of an image overlap, over many drawn pairs.</summary>
/// <param name="MeanIou">Mean intersection over union of the two crops' boxes.</param>
/// <param name="ShareNothing">Fraction of pairs whose crops do not overlap at all.</param>
public sealed record ViewOverlap(int Pairs, double MeanIou, double ShareNothing);

/// <summary>A warning about a setting (or the data) that makes a run fail or learn poorly, and why.</summary>
/// <param name="Field">The flat name of the setting it is about (e.g. <c>batchSize</c>).</param>
public sealed record SettingAdvice(string Code, string Field, string Message);
