namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// Progressive resolution (FFCV's progressive resizing): the full-size views start at
/// <see cref="TrainingConfig.ProgressiveResolutionStart"/> pixels and grow linearly, in steps of <see cref="StepPixels"/>,
/// to <see cref="TrainingConfig.ProgressiveResolutionEnd"/> (the image size by default) at the end of
/// <see cref="TrainingConfig.ProgressiveResolutionEpochs"/> (the first half of the run by default), then keep that side.
/// A view at half the side costs about a quarter of the convolutions, so the early epochs go faster; evaluation
/// always sees the image size. The side depends only on the epoch, so a resumed run sees the sides an uninterrupted one does.
/// </summary>
public static class ProgressiveResolution
{
    public const int StepPixels = 4;

    /// <summary>The full-size views' side in the (0-based) epoch <paramref name="epoch"/>.</summary>
    public static int SideAt(TrainingConfig config, int epoch)
    {
        if (config.ProgressiveResolutionStart is not { } start || start >= config.ImageSize) return config.ImageSize;
        int end = EndSide(config);
        int rampEpochs = RampEpochs(config);
        if (epoch >= rampEpochs) return end;
        double side = start + (end - start) * (double)epoch / rampEpochs;
        return Math.Clamp((int)(side / StepPixels) * StepPixels, start, end);
    }

    /// <summary>The side the views grow to and keep: the setting, or the image size.</summary>
    public static int EndSide(TrainingConfig config) => config.ProgressiveResolutionEnd ?? config.ImageSize;

    /// <summary>Epochs over which the side grows: the setting, or the first half of the run.</summary>
    public static int RampEpochs(TrainingConfig config) => config.ProgressiveResolutionEpochs ?? Math.Max(1, config.Epochs / 2);

    /// <summary>
    /// Pixels the network sees per image in the epoch: the two full-size views at the epoch's side and the small crops at
    /// theirs. The relative cost of an epoch, for the remaining-time estimate and the throughput-stall warning.
    /// </summary>
    public static double PixelsPerImage(TrainingConfig config, int epoch)
    {
        double side = SideAt(config, epoch);
        return 2 * side * side + config.SmallCrops * (double)config.SmallCropSize * config.SmallCropSize;
    }
}
