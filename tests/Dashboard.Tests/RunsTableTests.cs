using AspireSimClr.Dashboard.Components.Shared;

namespace AspireSimClr.Dashboard.Tests;

public class RunsTableTests : MudTestContext
{
    private static readonly Run[] Runs =
    [
        StubTrainer.SampleRun("aaa111", "resnet lars", RunStatus.Running, new TrainingConfig { Model = ModelNames.ResNet18, BatchSize = 512 }, ["paper"]),
        StubTrainer.SampleRun("bbb222", "compact adam", RunStatus.Completed, new TrainingConfig { Model = ModelNames.CompactCnn }),
        StubTrainer.SampleRun("ccc333", "broken", RunStatus.Failed, new TrainingConfig { Model = ModelNames.TinyCnn }) with { BestKnnTop1 = null },
        StubTrainer.SampleRun("ddd444", "waiting", RunStatus.Queued, new TrainingConfig { Model = ModelNames.TinyCnn }) with { QueuePosition = 1 },
    ];

    [Fact]
    public void ShowsOneRowPerRunWithItsFigures()
    {
        var table = Render<RunsTable>(p => p.Add(t => t.Runs, Runs));
        Assert.Equal(4, table.FindAll("tr.run-row").Count);
        var running = table.Find("tr.run-aaa111");
        Assert.Contains("resnet lars", running.TextContent);
        Assert.Contains("resnet18", running.TextContent);
        Assert.Contains("512", running.TextContent);
        Assert.Contains("43.21 %", running.TextContent);
        Assert.Contains("5.1234", running.TextContent);
        Assert.Contains("paper", running.TextContent);
        Assert.Equal("Running", running.QuerySelector("[data-status]")!.GetAttribute("data-status"));
        Assert.Contains("#1 in queue", table.Find("tr.run-ddd444").TextContent);
    }

    [Fact]
    public void OffersTheActionsThatFitEachStatus()
    {
        var table = Render<RunsTable>(p => p.Add(t => t.Runs, Runs));
        Assert.NotNull(table.Find("tr.run-aaa111 .cancel-run"));
        Assert.Empty(table.FindAll("tr.run-aaa111 .delete-run"));
        Assert.NotNull(table.Find("tr.run-ccc333 .resume-run"));
        Assert.NotNull(table.Find("tr.run-bbb222 .delete-run"));
        Assert.Empty(table.FindAll("tr.run-bbb222 .resume-run"));
    }

    [Fact]
    public void ActionButtonsReportTheRun()
    {
        Run? cancelled = null;
        var table = Render<RunsTable>(p => p.Add(t => t.Runs, Runs).Add(t => t.OnCancel, r => cancelled = r));
        table.Find("tr.run-aaa111 .cancel-run").Click();
        Assert.Equal("aaa111", cancelled?.Id);
    }

    [Fact]
    public void FilterMatchesNameTagModelDatasetAndStatus()
    {
        var table = Render<RunsTable>(p => p.Add(t => t.Runs, Runs));
        table.Instance.Search = "paper";
        Assert.Equal(["aaa111"], Runs.Where(table.Instance.Matches).Select(r => r.Id));
        table.Instance.Search = "compact-cnn";
        Assert.Equal(["bbb222"], Runs.Where(table.Instance.Matches).Select(r => r.Id));
        table.Instance.Search = "failed";
        Assert.Equal(["ccc333"], Runs.Where(table.Instance.Matches).Select(r => r.Id));
    }

    [Fact]
    public void CompareNeedsTwoSelectedRunsAndReportsThem()
    {
        IReadOnlyList<Run>? compared = null;
        var table = Render<RunsTable>(p => p.Add(t => t.Runs, Runs).Add(t => t.OnCompare, runs => compared = runs));
        Assert.True(table.Find("#compare-selected").HasAttribute("disabled"));
        table.Find("tr.run-aaa111 .select-run input").Change(true);
        Assert.True(table.Find("#compare-selected").HasAttribute("disabled"));
        table.Find("tr.run-ccc333 .select-run input").Change(true);
        Assert.False(table.Find("#compare-selected").HasAttribute("disabled"));
        table.Find("#compare-selected").Click();
        Assert.Equal(["aaa111", "ccc333"], compared!.Select(r => r.Id));
    }
}
