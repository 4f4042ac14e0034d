using AspireSimClr.Dashboard.Components.Shared;
using AspireSimClr.Dashboard.Services;

namespace AspireSimClr.Dashboard.Tests;

public class LabelEfficiencyChartTests : MudTestContext
{
    private static long _sequence;

    private static MetricPoint Evaluation(int epoch, string kind, double top1) => new()
    {
        Sequence = ++_sequence, Kind = MetricKinds.Evaluation, Epoch = epoch, Evaluation = kind, Top1 = top1, Time = DateTimeOffset.UtcNow,
    };

    private static MetricSeries Series(params MetricPoint[] points)
    {
        var series = new MetricSeries();
        series.AppendHistory(new MetricsResponse("r", points.Max(p => p.Sequence), points));
        return series;
    }

    [Fact]
    public void EachProtocolsCurveRunsFromOneToAHundredPercentOfTheLabelsOfTheLastEvaluatedEpoch()
    {
        // An earlier end (epoch 9, then forked on to epoch 19) must not mix into the curve.
        var series = Series(
            Evaluation(9, "knn", 0.50), Evaluation(9, "linear", 0.60), Evaluation(9, "linear@1%", 0.30), Evaluation(9, "linear@10%", 0.45),
            Evaluation(19, "knn", 0.55), Evaluation(19, "linear", 0.66), Evaluation(19, "linear@10%", 0.52), Evaluation(19, "linear@1%", 0.36),
            Evaluation(19, "fine-tune@1%", 0.38), Evaluation(19, "fine-tune@10%", 0.58));

        Assert.Equal([new ChartPoint(0, 0.36), new ChartPoint(1, 0.52), new ChartPoint(2, 0.66)], series.LabelEfficiency(EvaluationKinds.Linear));
        Assert.Equal([new ChartPoint(0, 0.38), new ChartPoint(1, 0.58)], series.LabelEfficiency(EvaluationKinds.FineTune));
        Assert.Empty(Series(Evaluation(4, "knn", 0.5), Evaluation(4, "linear", 0.6)).LabelEfficiency(EvaluationKinds.Linear));
    }

    [Fact]
    public void TheLogAxisIsLabelledInSharesOfTheLabels()
    {
        var points = new[] { new ChartPoint(0, 0.36), new ChartPoint(1, 0.52), new ChartPoint(2, 0.66) };
        var chart = Render<LineChart>(p => p.Add(c => c.Id, "shares").Add(c => c.Percent, true)
            .Add(c => c.XTicks, LabelShareAxis.Ticks).Add(c => c.FormatX, LabelShareAxis.Format)
            .Add(c => c.Data, [new LineChart.Series("linear probe", "#1f77b4", points, Markers: true)]));

        var ticks = chart.FindAll("text.tick").Select(t => t.TextContent).ToList();
        Assert.Contains("1 %", ticks);
        Assert.Contains("10 %", ticks);
        Assert.Contains("100 %", ticks);
        Assert.Equal(3, chart.FindAll("circle").Count);
        chart.Find($".chart-zone[data-zone='{LineChart.Zones / 2}']").MouseEnter();
        Assert.Contains("10 %", chart.Find(".tooltip-x").TextContent);
    }
}
