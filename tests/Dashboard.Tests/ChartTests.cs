using AspireSimClr.Dashboard.Components.Shared;
using AspireSimClr.Dashboard.Services;

namespace AspireSimClr.Dashboard.Tests;

public class ChartTests : MudTestContext
{
    [Fact]
    public void EmaMatchesTensorBoardsDebiasedSmoothing()
    {
        var points = new[] { new ChartPoint(0, 1), new ChartPoint(1, 3), new ChartPoint(2, 3) };
        var smoothed = ChartMath.Ema(points, 0.5);
        Assert.Equal(1.0, smoothed[0].Y, 10);
        Assert.Equal((0.25 * 1 + 0.5 * 3) / 0.75, smoothed[1].Y, 10);
        Assert.Same(points, ChartMath.Ema(points, 0));
    }

    [Fact]
    public void DownsamplingKeepsEndsAndPeaksAndLeavesSmallSeriesAlone()
    {
        var points = Enumerable.Range(0, 10_000).Select(i => new ChartPoint(i, i == 5_000 ? 100 : Math.Sin(i / 100.0))).ToList();
        var sampled = ChartMath.Downsample(points, 400);
        Assert.Equal(400, sampled.Count);
        Assert.Equal(points[0], sampled[0]);
        Assert.Equal(points[^1], sampled[^1]);
        Assert.Contains(new ChartPoint(5_000, 100), sampled);
        Assert.True(sampled.Zip(sampled.Skip(1)).All(pair => pair.First.X < pair.Second.X));
        var few = points.Take(10).ToList();
        Assert.Same(few, ChartMath.Downsample(few, 400));
    }

    [Fact]
    public void TicksAreRoundAndCoverTheRange()
    {
        Assert.Equal([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], ChartMath.Ticks(0, 1, 5));
        Assert.Equal([4.75, 5.0, 5.25], ChartMath.Ticks(4.55, 5.45, 4));
    }

    // The timeouts turn the old endless loop (a step below the values' precision never reached the end, and hung the
    // hub's delivery for every page) into a failure.
    [Fact(Timeout = 10_000)]
    public async Task ARangeNarrowerThanItsValuesPrecisionGetsOneTick()
    {
        var ticks = await Task.Run(() => ChartMath.Ticks(0.001, 0.0010000000000000002, 4));
        Assert.Equal(0.001, Assert.Single(ticks), 15);
        Assert.InRange(Assert.Single(await Task.Run(() => ChartMath.Ticks(1e16, 1e16 + 4, 4))), 1e16, 1e16 + 4);
        Assert.Empty(ChartMath.Ticks(0, double.PositiveInfinity));
    }

    [Fact(Timeout = 10_000)]
    public async Task ASeriesThatRoundingMadeAHairWideIsDrawnFlat()
    {
        var lr = new[] { new ChartPoint(0, 0.001), new ChartPoint(1, 0.0010000000000000002), new ChartPoint(2, 0.001) };
        var chart = await Task.Run(() => Render<LineChart>(p => p.Add(c => c.Data, [new LineChart.Series("learning rate", "#123456", lr)])));
        var points = chart.Find("polyline.series").GetAttribute("points")!.Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, points.Count);
        Assert.All(points, y => Assert.Equal(points[0], y, 6));
    }

    [Fact]
    public void TenRunsOfTenThousandPointsRenderDownsampled()
    {
        var series = Enumerable.Range(0, 10).Select(r => new LineChart.Series($"run {r}", RunColors.For($"run{r}"),
            Enumerable.Range(0, 10_000).Select(i => new ChartPoint(i, 5 - r * 0.1 - i / 10_000.0)).ToList())).ToList();
        var chart = Render<LineChart>(p => p.Add(c => c.Data, series).Add(c => c.MaxPointsPerSeries, 300));
        var lines = chart.FindAll("polyline.series");
        Assert.Equal(10, lines.Count);
        Assert.All(lines, l => Assert.Equal("300", l.GetAttribute("data-points")));
        Assert.Equal(10, chart.FindAll(".legend-item").Count);
        Assert.Equal(series.Select(s => s.Color), lines.Select(l => l.GetAttribute("stroke")));
    }

    [Fact]
    public void EmptyChartSaysSo()
    {
        var chart = Render<LineChart>(p => p.Add(c => c.Data, [new LineChart.Series("loss", "#000", [])]));
        Assert.Contains("No data yet", chart.Markup);
        Assert.Empty(chart.FindAll("svg"));
    }

    [Fact]
    public void RunColoursAreStablePerRun()
    {
        Assert.Equal(RunColors.For("abc123"), RunColors.For("abc123"));
        Assert.True(Enumerable.Range(0, 10).Select(i => RunColors.For($"run-{i}")).Distinct().Count() >= 5);
    }
}

public class MetricSeriesTests
{
    private static MetricPoint Step(long seq, int step, double loss) =>
        new() { Sequence = seq, Kind = MetricKinds.Step, Epoch = 0, Step = step, GlobalStep = step + 1, Loss = loss, Time = DateTimeOffset.UtcNow };

    [Fact]
    public void MergesHistoryAndStreamWithoutDuplicatesAndReportsGaps()
    {
        var series = new MetricSeries();
        Assert.True(series.Append([Step(1, 0, 5), Step(2, 1, 4.9)]));
        Assert.True(series.Append([Step(2, 1, 4.9), Step(3, 2, 4.8)]));     // overlap from a stream that started before the REST read
        Assert.Equal([1L, 2, 3], series.Points.Select(p => p.Sequence));
        Assert.False(series.Append([Step(5, 4, 4.6)]));                      // 4 is missing: fetch it
        Assert.Equal(3, series.LastSequence);
        Assert.Equal([5.0, 4.9, 4.8], series.StepLoss().Select(p => p.Y));
    }

    [Fact]
    public void CsvHasAHeaderAndOneLinePerPoint()
    {
        var series = new MetricSeries();
        series.Append([Step(1, 0, 5), Step(2, 1, 4.5)]);
        var lines = series.ToCsv().TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("sequence,kind,epoch", lines[0]);
        Assert.StartsWith("2,step,0,1,2,4.5,", lines[2]);
    }
}

public class ConfigDiffTests
{
    [Fact]
    public void DifferencesOnlyShowsSettingsTheRunsDisagreeOn()
    {
        var a = new TrainingConfig { Model = ModelNames.ResNet18, BatchSize = 512 };
        var b = new TrainingConfig { Model = ModelNames.CompactCnn, BatchSize = 512, Temperature = 0.2 };
        var rows = ConfigDiff.Rows([a, b], differencesOnly: true);
        Assert.Equal(["backbone.model", "method.temperature"], rows.Select(r => r.Setting));
        Assert.Equal(["resnet18", "compact-cnn"], rows[0].Values);
        Assert.True(ConfigDiff.Rows([a, b], differencesOnly: false).Count > 40);
    }
}
