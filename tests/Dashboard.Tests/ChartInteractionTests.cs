using AspireSimClr.Dashboard.Components.Shared;
using AspireSimClr.Dashboard.Services;
using Microsoft.AspNetCore.Components.Web;

namespace AspireSimClr.Dashboard.Tests;

public class ChartInteractionTests : MudTestContext
{
    private static readonly IReadOnlyList<ChartPoint> Rising = Enumerable.Range(0, 1000).Select(i => new ChartPoint(i * 10, 5 - i * 0.001 + (i % 7) * 0.0001)).ToList();
    private static readonly IReadOnlyList<ChartPoint> Sparse = Enumerable.Range(1, 10).Select(i => new ChartPoint(i * 1000, i * 0.05)).ToList();

    private IRenderedComponent<LineChart> Chart(Action<ComponentParameterCollectionBuilder<LineChart>>? more = null) => Render<LineChart>(p =>
    {
        p.Add(c => c.Id, "test-chart").Add(c => c.Data, [new LineChart.Series("loss", "#1f77b4", Rising), new LineChart.Series("kNN", "#ff7f0e", Sparse, Markers: true)])
            .Add(c => c.MaxPointsPerSeries, 400);
        more?.Invoke(p);
    });

    [Fact]
    public void HoveringShowsEachSeriesExactValueNearestThere()
    {
        var chart = Chart();
        chart.Find(".chart-zone[data-zone='60']").MouseEnter();

        // Zone 60 of 120 lies just past the middle of x 0..10,000: its centre is 5,041.7.
        double x = 10_000 * 60.5 / LineChart.Zones;
        var rows = chart.FindAll(".chart-tooltip .tooltip-row");
        Assert.Equal(["loss", "kNN"], rows.Select(r => r.GetAttribute("data-series")));
        var loss = ChartMath.Nearest(Rising, x)!.Value;
        Assert.Contains(LineChart.FormatExact(loss.Y, percent: false), rows[0].TextContent);
        Assert.Contains(LineChart.FormatExact(0.25, percent: false), rows[1].TextContent);   // kNN's nearest point is x 5,000
        Assert.Contains($"step {LineChart.FormatExact(loss.X, percent: false)}", chart.Find(".tooltip-x").TextContent);
        Assert.Equal(2, chart.FindAll("circle.hover-point").Count);

        chart.Find(".chart-zones").MouseLeave();
        Assert.Empty(chart.FindAll(".chart-tooltip"));
    }

    [Fact]
    public void DraggingAcrossTheChartZoomsAndResetShowsEverything()
    {
        var ranges = new List<ChartRange?>();
        var chart = Chart(p => p.Add(c => c.XRangeChanged, (ChartRange? r) => ranges.Add(r)));
        int everything = int.Parse(chart.Find("polyline[data-series='loss']").GetAttribute("data-points")!);

        chart.Find(".chart-zone[data-zone='30']").MouseEnter();
        chart.Find(".chart-zones").MouseDown();
        chart.Find(".chart-zone[data-zone='59']").MouseEnter();
        Assert.Single(chart.FindAll("rect.zoom-selection"));
        chart.Find(".chart-zones").MouseUp();

        var zoom = Assert.Single(ranges)!.Value;
        Assert.Equal(2_500, zoom.Min, 6);
        Assert.Equal(5_000, zoom.Max, 6);
        var ticks = chart.FindAll("text.tick").Select(t => t.TextContent).ToList();
        Assert.Contains("3000", ticks);
        Assert.DoesNotContain("8000", ticks);
        // All 1,000 points are downsampled to 400; zoomed in, the quarter shown is drawn with every one of its points
        // (x 2,500 to 5,000: 251, and one beyond each edge).
        Assert.Equal(400, everything);
        Assert.Equal(253, int.Parse(chart.Find("polyline[data-series='loss']").GetAttribute("data-points")!));

        chart.Find("[data-tool='reset-zoom']").Click();
        Assert.Null(ranges[^1]);
        Assert.Empty(chart.FindAll("[data-tool='reset-zoom']"));
    }

    [Fact]
    public void AZoomFromTheUrlIsShownAndPannedWithinTheData()
    {
        var ranges = new List<ChartRange?>();
        var chart = Chart(p => p.Add(c => c.XRange, new ChartRange(8000, 9500)).Add(c => c.XRangeChanged, (ChartRange? r) => ranges.Add(r)));
        chart.Find("[data-tool='pan-right']").Click();
        Assert.Equal(new ChartRange(8500, 10_000), ranges[^1]);     // half a width, stopped at the last point
        chart.Find("[data-tool='pan-left']").Click();
        Assert.Equal(new ChartRange(7750, 9250), ranges[^1]);
    }

    [Fact]
    public void CsvExportHoldsEverySeriesAtFullPrecision()
    {
        var chart = Chart();
        chart.Find("[data-tool='csv']").Click();
        var invocation = Assert.Single(JSInterop.Invocations, i => i.Identifier == "simclrCharts.downloadText");
        Assert.Equal("test-chart.csv", invocation.Arguments[0]);
        var lines = ((string)invocation.Arguments[1]!).TrimEnd('\n').Split('\n');
        Assert.Equal("series,step,value", lines[0]);
        Assert.Equal(1 + Rising.Count + Sparse.Count, lines.Length);
        Assert.Equal($"loss,10,{Rising[1].Y.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", lines[2]);
        Assert.Equal("kNN,10000,0.5", lines[^1]);
        Assert.Contains("simclrCharts.downloadPng('test-chart', 'test-chart.png')", chart.Find("[data-tool='png']").GetAttribute("onclick"));
    }

    [Fact]
    public void ABaselineSeriesIsDashed()
    {
        var chart = Render<LineChart>(p => p.Add(c => c.Data, [new LineChart.Series("a", "#111", Rising), new LineChart.Series("b (baseline)", "#222", Rising, Dashed: true)]));
        Assert.Equal([null, "6 4"], chart.FindAll("polyline.series").Select(l => l.GetAttribute("stroke-dasharray")));
    }

    [Fact]
    public void NearestWithinAndPanAreExact()
    {
        var points = new[] { new ChartPoint(0, 1), new ChartPoint(10, 2), new ChartPoint(20, 3) };
        Assert.Equal(new ChartPoint(10, 2), ChartMath.Nearest(points, 14));
        Assert.Equal(new ChartPoint(20, 3), ChartMath.Nearest(points, 16));
        Assert.Equal(new ChartPoint(0, 1), ChartMath.Nearest(points, -5));
        Assert.Null(ChartMath.Nearest([], 3));
        Assert.Equal(points.Skip(1), ChartMath.Within(points, new ChartRange(12, 18)));   // an empty window keeps the neighbours a line crosses it with
        Assert.Equal(points.Take(2), ChartMath.Within(points, new ChartRange(0, 5)));
        Assert.Equal(new ChartRange(0, 4), ChartMath.Pan(new ChartRange(2, 6), -1, new ChartRange(0, 20)));
    }
}

public class MetricSummaryTests : MudTestContext
{
    private static MetricPoint Epoch(int epoch, double loss, double imagesPerSecond) => new()
    {
        Sequence = epoch * 10 + 1, Kind = MetricKinds.Epoch, Epoch = epoch, Loss = loss, ImagesPerSecond = imagesPerSecond, Time = DateTimeOffset.UtcNow,
    };

    private static MetricPoint Knn(int epoch, double top1) => new()
    {
        Sequence = epoch * 10 + 2, Kind = MetricKinds.Evaluation, Epoch = epoch, Evaluation = "knn", Top1 = top1, Time = DateTimeOffset.UtcNow,
    };

    private static MetricSeries Series(params MetricPoint[] points)
    {
        var series = new MetricSeries();
        series.AppendHistory(new MetricsResponse("r", points.Max(p => p.Sequence), points));
        return series;
    }

    [Fact]
    public void TheBestIsTakenInEachMetricsDirection()
    {
        var stats = MetricSummary.Of(Series(Epoch(0, 5.0, 900), Knn(0, 0.30), Epoch(1, 4.5, 1000), Knn(1, 0.42), Epoch(2, 4.7, 950), Knn(2, 0.40)));
        var loss = stats.Single(s => s.Metric.StartsWith("loss"));
        Assert.Equal((4.7, 4.5, 2.0, 4.5, 5.0), (loss.Last!.Value, loss.Best!.Value, loss.BestAt!.Value, loss.Min!.Value, loss.Max!.Value));
        var knn = stats.Single(s => s.Metric == "kNN top-1");
        Assert.Equal((0.40, 0.42, 2.0), (knn.Last!.Value, knn.Best!.Value, knn.BestAt!.Value));
        Assert.Equal(0, stats.Single(s => s.Metric == "linear top-1").Count);
    }

    [Fact]
    public void TheTableMarksTheBestRunAndEachRunsDifferenceFromTheBaseline()
    {
        var a = new MetricSummaryTable.SummaryRun("a", "run a", "#111", Series(Epoch(0, 5.0, 900), Knn(0, 0.30)));
        var b = new MetricSummaryTable.SummaryRun("b", "run b", "#222", Series(Epoch(0, 4.0, 800), Knn(0, 0.35)));
        var table = Render<MetricSummaryTable>(p => p.Add(t => t.Runs, [a, b]).Add(t => t.Baseline, "a"));

        var knnB = table.Find("tr[data-metric='kNN top-1'][data-run='b']");
        Assert.Contains("best-run", knnB.ClassList);
        Assert.Equal("+5.00 points", knnB.QuerySelector("td.better")!.TextContent);
        var lossB = table.Find("tr[data-metric='loss (epoch mean)'][data-run='b']");
        Assert.Equal("−1.0000", lossB.QuerySelector("td.better")!.TextContent);
        var speedB = table.Find("tr[data-metric='images/s'][data-run='b']");
        Assert.Equal("−100", speedB.QuerySelector("td.worse")!.TextContent);
        Assert.Contains("(baseline)", table.Find("tr[data-metric='kNN top-1'][data-run='a']").TextContent);
        Assert.Empty(table.FindAll("tr[data-metric='linear top-1']"));
    }
}
