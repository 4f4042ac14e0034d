namespace AspireSimClr.Trainer.Sweeps;

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al. 2011, "Algorithms for Hyper-Parameter Optimization"), for independent
/// numeric ranges: the results so far are split into the best fraction γ and the rest, each side's values are smoothed into a
/// density per range (a Gaussian at each value, with the uniform prior as one more component), and of the candidates drawn from
/// the good side's density the one where good is most likely against bad is proposed. Ranges are searched in [0, 1], on a log
/// scale where the range asks for it. Until <see cref="Startup"/> results exist, proposals are uniform (random search).
/// Deterministic for one seed and one history.
/// </summary>
public sealed class TreeParzenSampler(IReadOnlyList<TreeParzenSampler.Range> ranges)
{
    /// <summary>One searched setting: [<paramref name="Min"/>, <paramref name="Max"/>], log-uniform when <paramref name="Log"/>.</summary>
    public sealed record Range(string Setting, double Min, double Max, bool Log, bool Whole = false)
    {
        public double ToUnit(double value) => Max == Min ? 0.5
            : Log ? (Math.Log(value) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (value - Min) / (Max - Min);

        public double FromUnit(double unit)
        {
            unit = Math.Clamp(unit, 0, 1);
            double value = Log ? Math.Exp(Math.Log(Min) + unit * (Math.Log(Max) - Math.Log(Min))) : Min + unit * (Max - Min);
            return Whole ? Math.Round(value) : value;
        }
    }

    /// <summary>A configuration tried (values by range, in range order) and its score (higher is better).</summary>
    public sealed record Trial(IReadOnlyList<double> Values, double Score);

    /// <summary>Results before the model is used; fewer give random proposals.</summary>
    public int Startup { get; init; } = 4;

    /// <summary>The share of results that count as good.</summary>
    public double Gamma { get; init; } = 0.25;

    /// <summary>Candidates drawn from the good density per proposal.</summary>
    public int Candidates { get; init; } = 24;

    public IReadOnlyList<Range> Ranges { get; } = ranges;

    public IReadOnlyList<double> Propose(IReadOnlyList<Trial> history, int seed)
    {
        var random = new Random(seed);
        var finite = history.Where(t => double.IsFinite(t.Score)).ToList();
        if (finite.Count < Startup) return Ranges.Select(r => r.FromUnit(random.NextDouble())).ToList();

        var ordered = finite.OrderByDescending(t => t.Score).ToList();
        int goodCount = Math.Max(1, (int)Math.Ceiling(Gamma * ordered.Count));
        var good = ordered.Take(goodCount).ToList();
        var bad = ordered.Skip(goodCount).ToList();
        var goodDensity = Ranges.Select((r, d) => new Parzen(good.Select(t => r.ToUnit(t.Values[d])).ToList())).ToList();
        var badDensity = Ranges.Select((r, d) => new Parzen(bad.Select(t => r.ToUnit(t.Values[d])).ToList())).ToList();

        double[]? best = null;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < Candidates; c++)
        {
            var candidate = goodDensity.Select(density => density.Sample(random)).ToArray();
            double score = 0;
            for (int d = 0; d < candidate.Length; d++) score += Math.Log(goodDensity[d].Density(candidate[d])) - Math.Log(badDensity[d].Density(candidate[d]));
            if (score > bestScore) (best, bestScore) = (candidate, score);
        }
        return best!.Select((unit, d) => Ranges[d].FromUnit(unit)).ToList();
    }

    /// <summary>
    /// A density on [0, 1]: a Gaussian at each point (its width the larger gap to its neighbours, clipped to [0.02, 1]) and the
    /// uniform prior, equally weighted; Gaussians are truncated to [0, 1].
    /// </summary>
    private sealed class Parzen
    {
        private readonly double[] _centres;
        private readonly double[] _widths;

        public Parzen(IReadOnlyList<double> points)
        {
            _centres = [.. points.Order()];
            _widths = new double[_centres.Length];
            for (int i = 0; i < _centres.Length; i++)
            {
                double left = _centres[i] - (i > 0 ? _centres[i - 1] : 0);
                double right = (i < _centres.Length - 1 ? _centres[i + 1] : 1) - _centres[i];
                _widths[i] = Math.Clamp(Math.Max(left, right), 0.02, 1.0);
            }
        }

        private int Components => _centres.Length + 1;

        public double Sample(Random random)
        {
            int component = random.Next(Components);
            if (component == _centres.Length) return random.NextDouble();
            while (true)
            {
                double x = _centres[component] + _widths[component] * Normal(random);
                if (x is >= 0 and <= 1) return x;
            }
        }

        public double Density(double x)
        {
            double sum = 1.0;   // the uniform prior
            for (int i = 0; i < _centres.Length; i++)
            {
                double mass = NormalCdf((1 - _centres[i]) / _widths[i]) - NormalCdf(-_centres[i] / _widths[i]);
                double z = (x - _centres[i]) / _widths[i];
                sum += Math.Exp(-0.5 * z * z) / (_widths[i] * Math.Sqrt(2 * Math.PI) * mass);
            }
            return sum / Components;
        }

        private static double Normal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        private static double NormalCdf(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

        // Abramowitz and Stegun 7.1.26 (error below 1.5e-7): enough for weights.
        private static double Erf(double x)
        {
            double sign = Math.Sign(x);
            x = Math.Abs(x);
            double t = 1 / (1 + 0.3275911 * x);
            double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) * t * Math.Exp(-x * x);
            return sign * y;
        }
    }
}
