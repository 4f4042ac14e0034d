using System.Globalization;

namespace AspireSimClr.Dashboard.Services;

/// <summary>The label-efficiency chart's x axis: the share of training labels on a log scale, 1 %, 10 %, 100 %.</summary>
public static class LabelShareAxis
{
    public static readonly IReadOnlyList<double> Ticks = [0, 1, 2];

    public static double X(double fraction) => Math.Log10(fraction * 100);

    public static string Format(double x) => Math.Pow(10, x).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
