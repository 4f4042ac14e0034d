namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// The labelled images a label-efficiency evaluation may use: the same share of every class (at least one image each),
/// drawn with a seed so that every run and every protocol sees the same images for the same share.
/// </summary>
public static class BalancedLabelSubset
{
    /// <summary>Indices into <paramref name="labels"/>, ascending.</summary>
    public static int[] Draw(long[] labels, int classes, double fraction, long seed)
    {
        if (fraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in (0, 1].");
        var byClass = new List<int>[classes];
        for (int c = 0; c < classes; c++) byClass[c] = [];
        for (int i = 0; i < labels.Length; i++) byClass[labels[i]].Add(i);

        var chosen = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var members = byClass[c].ToArray();
            if (members.Length == 0) continue;
            int take = Math.Max(1, (int)Math.Round(fraction * members.Length));
            new Random(unchecked((int)(seed * 1_000_003 + c))).Shuffle(members);
            chosen.AddRange(members.Take(take));
        }
        chosen.Sort();
        return [.. chosen];
    }
}
