using AspireSimClr.Engine.Augmentation;

namespace AspireSimClr.Engine;

/// <summary>
/// The time a run still needs, from the epochs it has trained. Under progressive resolution epochs differ in cost, so each
/// remaining epoch is estimated from the measured epochs at its view side, or, for a side not trained yet, from the largest
/// measured side scaled by the pixels of a view (sides only grow; fixed costs per image make this an overestimate that
/// shrinks as the sides are reached). Without progressive resolution this is the mean epoch times the epochs left.
/// </summary>
public sealed class RemainingTimeEstimate(TrainingConfig config)
{
    private readonly Dictionary<int, (double TotalSeconds, int Count)> _bySide = [];

    public void Add(int epoch, TimeSpan duration)
    {
        int side = ProgressiveResolution.SideAt(config, epoch);
        var (total, count) = _bySide.GetValueOrDefault(side);
        _bySide[side] = (total + duration.TotalSeconds, count + 1);
    }

    /// <summary>The estimated time of epochs <paramref name="nextEpoch"/> to the last; zero before any epoch is measured.</summary>
    public TimeSpan After(int nextEpoch)
    {
        if (_bySide.Count == 0) return TimeSpan.Zero;
        int largest = _bySide.Keys.Max();
        double largestMean = Mean(largest);
        double seconds = 0;
        for (int epoch = nextEpoch; epoch < config.Epochs; epoch++)
        {
            int side = ProgressiveResolution.SideAt(config, epoch);
            seconds += _bySide.ContainsKey(side) ? Mean(side) : largestMean * side * side / ((double)largest * largest);
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private double Mean(int side) => _bySide[side].TotalSeconds / _bySide[side].Count;
}
