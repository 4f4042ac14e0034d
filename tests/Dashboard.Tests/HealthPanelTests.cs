using AspireSimClr.Dashboard.Components.Shared;
using AspireSimClr.Dashboard.Services;

namespace AspireSimClr.Dashboard.Tests;

public class HealthPanelTests : MudTestContext
{
    private static readonly RunWarning Collapse = new("collapse", "The embeddings are collapsing: lower the learning rate.", 3, 812, DateTimeOffset.UtcNow);

    [Fact]
    public void ShowsWarningsTheLatestSignalsAndTheirChart()
    {
        var latest = new HealthValues(NormalizedStd: 0.0123, UniformStd: 0.0884, EffectiveRank: 7.25, PositiveCosine: 0.9, NegativeCosine: 0.1,
            Alignment: 0.2, Uniformity: -2.5, GradientNorm: 1.75);
        var panel = Render<HealthPanel>(p => p
            .Add(h => h.Warnings, [Collapse])
            .Add(h => h.Latest, latest)
            .Add(h => h.NormalizedStd, [new ChartPoint(50, 0.05), new ChartPoint(100, 0.0123)])
            .Add(h => h.UniformStd, [new ChartPoint(50, 0.0884), new ChartPoint(100, 0.0884)])
            .Add(h => h.EffectiveRank, [new ChartPoint(50, 30), new ChartPoint(100, 7.25)])
            .Add(h => h.EverySteps, 50));

        var warning = panel.Find(".health-warning");
        Assert.Equal("collapse", warning.GetAttribute("data-code"));
        Assert.Contains("epoch 4, step 812", warning.TextContent);
        var table = panel.Find("#health-latest").TextContent;
        Assert.Contains("0.0123 / 0.0884", table);
        Assert.Contains("7.2", table);
        Assert.Contains("1.75", table);
        Assert.NotEmpty(panel.FindAll("#health-chart path, #health-chart polyline"));
    }

    [Fact]
    public void SaysWhenNothingWasMeasuredYet()
    {
        var panel = Render<HealthPanel>(p => p.Add(h => h.EverySteps, 0));
        Assert.Contains("turned off", panel.Find("#health-empty").TextContent);
        Assert.Empty(panel.FindAll(".health-warning"));
    }

    [Fact]
    public void TheRunsTableMarksARunWithWarnings()
    {
        Run[] runs =
        [
            StubTrainer.SampleRun("aaa111", "collapsing", RunStatus.Running, new TrainingConfig()) with { Warnings = [Collapse] },
            StubTrainer.SampleRun("bbb222", "fine", RunStatus.Running, new TrainingConfig()),
        ];
        var table = Render<RunsTable>(p => p.Add(t => t.Runs, runs));
        Assert.Contains("collapse", table.Find("tr.run-aaa111 .run-warning").GetAttribute("aria-label"));
        Assert.Empty(table.FindAll("tr.run-bbb222 .run-warning"));
    }
}
