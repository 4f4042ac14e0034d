using AspireSimClr.Engine.Augmentation;

namespace AspireSimClr.Engine;

/// <summary>
/// The time a run still needs, from the epochs it has trained in this process. Under progressive resolution epochs differ
/// in cost, so each remaining epoch is estimated from the measured epochs whose views hold as many pixels, or, for a view
/// size not trained yet, from the largest measured one scaled by the pixels of an image's views (sides only grow; fixed
/// costs per image make this an overestimate that shrinks as the sides are reached). Without progressive resolution this
/// is the mean epoch times the epochs left.
/// </summary>
public sealed class RemainingTimeEstimate(TrainingConfig config)
{
    private readonly Dictionary<double, (double TotalSeconds, int Count)> _byPixelsPerImage = [];

    /// <param name="fractionTrained">The share of the epoch's steps the duration covers (less than 1 for an epoch resumed midway).</param>
    public void Add(int epoch, TimeSpan duration, double fractionTrained = 1)
    {
        if (fractionTrained <= 0) return;
        double pixels = ProgressiveResolution.PixelsPerImage(config, epoch);
        var (total, count) = _byPixelsPerImage.GetValueOrDefault(pixels);
        _byPixelsPerImage[pixels] = (total + duration.TotalSeconds / fractionTrained, count + 1);
    }

    /// <summary>The estimated time of epochs <paramref name="nextEpoch"/> to the last; zero before any epoch is measured.</summary>
    public TimeSpan After(int nextEpoch)
    {
        if (_byPixelsPerImage.Count == 0) return TimeSpan.Zero;
        double largest = _byPixelsPerImage.Keys.Max();
        double secondsPerPixel = Mean(largest) / largest;
        double seconds = 0;
        for (int epoch = nextEpoch; epoch < config.Epochs; epoch++)
        {
            double pixels = ProgressiveResolution.PixelsPerImage(config, epoch);
            seconds += _byPixelsPerImage.ContainsKey(pixels) ? Mean(pixels) : secondsPerPixel * pixels;
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private double Mean(double pixels) => _byPixelsPerImage[pixels].TotalSeconds / _byPixelsPerImage[pixels].Count;
}
