using System.Net;
using System.Text.Json;
using AspireSimClr.Dashboard.Components.Pages;
using AspireSimClr.Dashboard.Components.Shared;
using AspireSimClr.Dashboard.Services;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Dashboard.Tests;

public class SweepTests : MudTestContext
{
    private readonly StubTrainer _trainer = new();

    public SweepTests()
    {
        Services.AddSingleton(_trainer.Client());
        Services.AddSingleton<ITrainingHub>(new FakeHub());
        Services.AddScoped<AspireSimClr.Dashboard.Services.Live.LiveTrainer>();
    }

    [Fact]
    public void AGridCountsItsCombinationsAndSendsTypedValues()
    {
        var form = new SweepForm();
        form.Axes[0].Values = "0.2, 0.4, 0.8";
        form.Axes.Add(new SweepForm.Axis { Setting = "optimizer", Values = "sgd, lars" });
        Assert.Equal(6, form.RunCount);
        var request = form.ToRequest(new Dictionary<string, object?> { ["name"] = "my sweep", ["batchSize"] = 256L });
        var json = JsonDocument.Parse(JsonSerializer.Serialize(request)).RootElement;
        Assert.Equal("my sweep", json.GetProperty("name").GetString());
        Assert.Equal(256, json.GetProperty("settings").GetProperty("batchSize").GetInt32());
        Assert.False(json.GetProperty("settings").TryGetProperty("name", out _));
        Assert.Equal(0.4, json.GetProperty("axes")[0].GetProperty("values")[1].GetDouble());
        Assert.Equal("lars", json.GetProperty("axes")[1].GetProperty("values")[1].GetString());

        form.Kind = SweepKinds.Random;
        form.Samples = 5;
        Assert.Equal(5, form.RunCount);
        form.Kind = SweepKinds.Seeds;
        Assert.Equal(3, form.RunCount);
    }

    [Fact]
    public void SeedGroupsAverageRunsThatDifferOnlyInTheirSeed()
    {
        Run Seeded(string id, long seed, double temperature = 0.5) => StubTrainer.SampleRun(id, $"t · seed {seed}", RunStatus.Completed, new TrainingConfig { Seed = seed, Temperature = temperature });
        var groups = SeedGroups.Of([Seeded("a", 1), Seeded("b", 2), Seeded("c", 3, temperature: 0.2)]);
        Assert.Equal([2, 1], groups.Select(g => g.Runs.Count));
        Assert.Equal("t (mean ± std of 2 seeds)", groups[0].Label);

        var (mean, band) = SeedGroups.MeanAndBand([[new(1, 0.4), new(2, 0.5)], [new(1, 0.6), new(2, 0.5)], [new(1, 0.5)]]);
        Assert.Equal([new ChartPoint(1, 0.5), new ChartPoint(2, 0.5)], mean);
        Assert.Equal(Math.Sqrt(0.02 / 3), band[0].High - 0.5, 10);
        Assert.Equal(band[1].Low, band[1].High);

        var chart = Render<LineChart>(p => p.Add(c => c.Data, [new LineChart.Series("m", "#123456", mean, Band: band)]));
        Assert.Equal("#123456", chart.Find("polygon.band").GetAttribute("fill"));
    }

    [Fact]
    public void ParallelCoordinatesDrawEachRunThroughItsValuesColouredByScore()
    {
        var axes = new List<ParallelAxis>
        {
            new("learningRate", new Dictionary<string, string> { ["a"] = "0.001", ["b"] = "0.1", ["c"] = "0.01" }, false),
            new("optimizer", new Dictionary<string, string> { ["a"] = "sgd", ["b"] = "lars", ["c"] = "sgd" }, false),
            new("kNN top-1", new Dictionary<string, string> { ["a"] = "0.3", ["b"] = "0.6" }, true),
        };
        var lines = new List<ParallelCoordinates.Line> { new("a", "run a", 0.3), new("b", "run b", 0.6), new("c", "run c", null) };
        var view = Render<ParallelCoordinates>(p => p.Add(v => v.Axes, axes).Add(v => v.Lines, lines));

        var drawn = view.FindAll("polyline.pc-line");
        Assert.Equal(["c", "a", "b"], drawn.Select(l => l.GetAttribute("data-run")));   // the best drawn last, on top
        Assert.Equal(3, drawn[1].GetAttribute("points")!.Split(' ').Length);
        Assert.Equal(2, drawn[0].GetAttribute("points")!.Split(' ').Length);          // no result yet: stops at the settings
        Assert.Equal("#9e9e9e", drawn[0].GetAttribute("stroke"));
        Assert.Equal("#f57c00", drawn[2].GetAttribute("stroke"));
        var ticks = view.FindAll("text.pc-tick").Select(t => t.TextContent).ToList();
        Assert.Contains("0.01", ticks);                                                 // log axis: the geometric middle
        Assert.Contains("sgd", ticks);
        Assert.Contains("60%", ticks);
    }

    [Fact]
    public void TheSweepPageRanksItsRunsAndLinksThemForComparison()
    {
        var runs = new[]
        {
            StubTrainer.SampleRun("r1", "s · learningRate=0.1", RunStatus.Completed, new TrainingConfig { LearningRate = 0.1 }) with { BestKnnTop1 = 0.40, SweepId = "s1" },
            StubTrainer.SampleRun("r2", "s · learningRate=0.3", RunStatus.Completed, new TrainingConfig { LearningRate = 0.3 }) with { BestKnnTop1 = 0.55, SweepId = "s1" },
            StubTrainer.SampleRun("r3", "s · learningRate=0.9", RunStatus.Running, new TrainingConfig { LearningRate = 0.9 }) with { BestKnnTop1 = null, SweepId = "s1" },
        };
        var sweep = new Sweep("s1", "s", SweepKinds.Grid, [new SweepAxis("learningRate", ["0.1", "0.3", "0.9"])], DateTimeOffset.UtcNow, ["r1", "r2", "r3"]);
        _trainer.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.OK, new SweepDetail(sweep, runs));
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: false));
        var page = Render<SweepDetailPage>(p => p.Add(x => x.Id, "s1"));

        page.WaitForAssertion(() => Assert.Equal(["r2", "r1", "r3"], page.FindAll("tr.sweep-run").Select(r => r.GetAttribute("data-run"))));
        Assert.Contains("best-run", page.Find("tr.sweep-run").ClassList);
        Assert.Equal(["0.3", "0.1", "0.9"], page.FindAll("tr.sweep-run td:nth-child(3)").Select(c => c.TextContent));
        Assert.Contains("2 of 3 runs completed", page.Find("#sweep-progress").TextContent);
        Assert.Equal("/compare?ids=r1,r2,r3", page.Find("#sweep-compare").GetAttribute("href"));
        Assert.Equal(3, page.FindAll("#sweep-parallel polyline.pc-line").Count);
    }

    [Fact]
    public void ATpeSearchSendsItsRangesAndBudget()
    {
        var form = new SweepForm { Kind = SweepKinds.Tpe, Samples = 12 };
        form.Axes[0].Min = "0.001";
        form.Axes[0].Max = "1";
        form.Axes[0].Log = true;
        Assert.Equal(12, form.RunCount);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(form.ToRequest(new Dictionary<string, object?>()))).RootElement;
        Assert.Equal("tpe", json.GetProperty("kind").GetString());
        Assert.Equal(12, json.GetProperty("samples").GetInt32());
        var range = json.GetProperty("ranges")[0];
        Assert.Equal(("learningRate", 0.001, 1, true), (range.GetProperty("setting").GetString(), range.GetProperty("min").GetDouble(), range.GetProperty("max").GetInt32(), range.GetProperty("log").GetBoolean()));

        var panel = Render<SweepPanel>(p => p.Add(x => x.Form, form));
        Assert.Contains("proposed from the results so far", panel.Find("#sweep-tpe-help").TextContent);
        Assert.NotEmpty(panel.FindAll("#sweep-axis-0-min"));
    }

    [Fact]
    public void EarlyStoppingIsSentForGridsAndRandomSearchesOnly()
    {
        var form = new SweepForm { EarlyStopping = true, Rungs = "2, 6", ReductionFactor = 4, EarlyStoppingMetric = EarlyStoppingMetrics.Loss };
        var json = JsonDocument.Parse(JsonSerializer.Serialize(form.ToRequest(new Dictionary<string, object?>()))).RootElement.GetProperty("earlyStopping");
        Assert.Equal("loss", json.GetProperty("metric").GetString());
        Assert.Equal([2, 6], json.GetProperty("rungs").EnumerateArray().Select(r => r.GetInt32()));
        Assert.Equal(4, json.GetProperty("reductionFactor").GetInt32());

        form.Kind = SweepKinds.Seeds;
        Assert.False(JsonDocument.Parse(JsonSerializer.Serialize(form.ToRequest(new Dictionary<string, object?>()))).RootElement.TryGetProperty("earlyStopping", out _));
        form.Kind = SweepKinds.Grid;
        form.EarlyStopping = false;
        Assert.False(JsonDocument.Parse(JsonSerializer.Serialize(form.ToRequest(new Dictionary<string, object?>()))).RootElement.TryGetProperty("earlyStopping", out _));
    }

    [Fact]
    public void TheSweepPageShowsWhoStoppedEarlyAtWhichRungAndTheEpochsSaved()
    {
        var config = new TrainingConfig { Epochs = 10 };
        var runs = new[]
        {
            StubTrainer.SampleRun("r1", "s · a", RunStatus.Completed, config) with { BestKnnTop1 = 0.50, SweepId = "s1", EpochsCompleted = 10 },
            StubTrainer.SampleRun("r2", "s · b", RunStatus.StoppedEarly, config) with { BestKnnTop1 = 0.30, SweepId = "s1", EpochsCompleted = 2, FailureReason = "Stopped early at epoch 2: ranked 2 of 2" },
            StubTrainer.SampleRun("r3", "s · c", RunStatus.StoppedEarly, config) with { BestKnnTop1 = 0.35, SweepId = "s1", EpochsCompleted = 6 },
        };
        var now = DateTimeOffset.UtcNow;
        var decisions = new List<RungDecision>
        {
            new("r1", 2, 0.4, 1, 1, 1, true, false, now), new("r2", 2, 0.3, 2, 2, 1, false, false, now), new("r3", 2, 0.42, 1, 3, 1, true, false, now),
            new("r1", 6, 0.45, 1, 1, 1, true, false, now), new("r3", 6, 0.35, 2, 2, 1, false, false, now),
        };
        var sweep = new Sweep("s1", "s", SweepKinds.Grid, [], now, ["r1", "r2", "r3"], new EarlyStopping(EarlyStoppingMetrics.Knn, [2, 6], 3));
        _trainer.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.OK, new SweepDetail(sweep, runs, decisions));
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: false));
        var page = Render<SweepDetailPage>(p => p.Add(x => x.Id, "s1"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tr.sweep-run").Count));
        Assert.Contains("1 of 3 runs completed, 2 stopped early", page.Find("#sweep-progress").TextContent);
        Assert.Contains("knn at epochs 2, 6, keep 1 in 3", page.Find("#sweep-early-chip").TextContent);
        Assert.Contains("12 of 30 epochs (40 %)", page.Find("#sweep-budget").TextContent);   // (10 - 2) + (10 - 6)
        var r3 = page.Find("tr.sweep-run[data-run=r3]");
        Assert.Equal("epoch 2: 1st of 3, went on · epoch 6: 2nd of 2, stopped", r3.QuerySelector("td.rungs")!.TextContent);
        Assert.Equal("6 / 10", r3.QuerySelector("td.epochs")!.TextContent.Replace(" ", "").Replace("/", " / "));
        var r2 = page.Find("tr.sweep-run[data-run=r2]");
        Assert.Equal("Stopped early", r2.QuerySelector("[data-status]")!.TextContent);
        Assert.Equal("Stopped early at epoch 2: ranked 2 of 2", r2.QuerySelector("td.rungs")!.GetAttribute("title"));
    }
}
