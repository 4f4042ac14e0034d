using AspireSimClr.Engine.Augmentation;

namespace AspireSimClr.Engine;

/// <summary>
/// The time a run still needs, from the epochs it has trained in this process. Under progressive resolution epochs differ
/// in cost, so each remaining epoch is estimated from the measured epochs at its view side, or, for a side not trained yet,
/// from the largest measured side scaled by the pixels an image's views hold (sides only grow; fixed costs per image make
/// this an overestimate that shrinks as the sides are reached). Without progressive resolution this is the mean epoch
/// times the epochs left.
/// </summary>
public sealed class RemainingTimeEstimate(TrainingConfig config)
{
    private readonly Dictionary<int, (double TotalSeconds, int Count)> _bySide = [];

    /// <param name="fractionTrained">The share of the epoch's steps the duration covers (less than 1 for an epoch resumed midway).</param>
    public void Add(int epoch, TimeSpan duration, double fractionTrained = 1)
    {
        if (fractionTrained <= 0) return;
        int side = ProgressiveResolution.SideAt(config, epoch);
        var (total, count) = _bySide.GetValueOrDefault(side);
        _bySide[side] = (total + duration.TotalSeconds / fractionTrained, count + 1);
    }

    /// <summary>The estimated time of epochs <paramref name="nextEpoch"/> to the last; zero before any epoch is measured.</summary>
    public TimeSpan After(int nextEpoch)
    {
        if (_bySide.Count == 0) return TimeSpan.Zero;
        int largest = _bySide.Keys.Max();
        int largestEpoch = Enumerable.Range(0, config.Epochs).First(e => ProgressiveResolution.SideAt(config, e) == largest);
        double secondsPerPixel = Mean(largest) / ProgressiveResolution.PixelsPerImage(config, largestEpoch);
        double seconds = 0;
        for (int epoch = nextEpoch; epoch < config.Epochs; epoch++)
        {
            int side = ProgressiveResolution.SideAt(config, epoch);
            seconds += _bySide.ContainsKey(side) ? Mean(side) : secondsPerPixel * ProgressiveResolution.PixelsPerImage(config, epoch);
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private double Mean(int side) => _bySide[side].TotalSeconds / _bySide[side].Count;
}
