using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>TPE sweeps through the service: the first runs at random, each next one queued when a run ends, never past the budget.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ModelSearchTests(PostgresServer postgres)
{
    private static object Search(int samples, int? startup) => new
    {
        name = "tpe", kind = "tpe", samples, startup,
        settings = JsonSerializer.SerializeToNode(TrainerFactory.QuickRun(epochs: 1))!.AsObject(),
        ranges = new object[] { new { setting = "learningRate", min = 1e-4, max = 1e-2, log = true }, new { setting = "temperature", min = 0.1, max = 1.0 } },
    };

    [Fact]
    public async Task ATpeSweepQueuesItsStartupThenOneRunPerResultUntilItsBudget()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsJsonAsync("/api/sweeps", Search(samples: 4, startup: 2));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        Assert.Equal(2, created.Runs.Count);
        Assert.Equal((4, 2), (created.Sweep.Search!.Budget, created.Sweep.Search.Startup));

        SweepDetail detail;
        var deadline = DateTime.UtcNow + TrainerFactory.RunTimeout;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not train its four runs in time");
            await Task.Delay(100);
            detail = (await client.GetFromJsonAsync<SweepDetail>($"/api/sweeps/{created.Sweep.Id}", TrainerFactory.Json))!;
        }
        while (detail.Runs.Count < 4 || detail.Runs.Any(r => r.Status != RunStatus.Completed));

        Assert.Equal(created.Runs.Select(r => r.Id), detail.Runs.Take(2).Select(r => r.Id));
        Assert.All(detail.Runs, r => Assert.InRange(r.Config.LearningRate!.Value, 1e-4, 1e-2));
        Assert.All(detail.Runs, r => Assert.InRange(r.Config.Temperature, 0.1, 1.0));
        Assert.All(detail.Runs, r => Assert.StartsWith("tpe · learningRate=", r.Name));
        Assert.Equal(4, detail.Runs.Select(r => (r.Config.LearningRate, r.Config.Temperature)).Distinct().Count());
        // The budget is spent: nothing more is queued.
        Assert.Equal(4, (await client.GetFromJsonAsync<List<Run>>("/api/runs", TrainerFactory.Json))!.Count);

        // The same request draws the same first runs (seeded by the base settings' seed).
        var again = (await (await client.PostAsJsonAsync("/api/sweeps", Search(samples: 4, startup: 2))).Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        Assert.Equal(created.Runs.Select(r => r.Config.LearningRate), again.Runs.Select(r => r.Config.LearningRate));
        await client.PostAsync("/api/runs/cancel-all", null);
    }

    [Theory]
    [InlineData("""{"kind":"random","samples":3,"startup":1,"settings":{"dataset":"synthetic"},"ranges":[{"setting":"learningRate","min":0.001,"max":0.1}]}""", "startup")]
    [InlineData("""{"kind":"tpe","samples":3,"startup":4,"settings":{"dataset":"synthetic"},"ranges":[{"setting":"learningRate","min":0.001,"max":0.1}]}""", "startup")]
    [InlineData("""{"kind":"tpe","settings":{"dataset":"synthetic"},"ranges":[{"setting":"learningRate","min":0.001,"max":0.1}]}""", "samples")]
    [InlineData("""{"kind":"tpe","samples":3,"settings":{"dataset":"synthetic"}}""", "ranges")]
    [InlineData("""{"kind":"tpe","samples":3,"settings":{"dataset":"synthetic"},"ranges":[{"setting":"learningRate","min":0.001,"max":0.1},{"setting":"learningRate","min":0.01,"max":0.1}]}""", "ranges[1].setting")]
    [InlineData("""{"kind":"tpe","samples":3,"settings":{"dataset":"synthetic"},"ranges":[{"setting":"batchSize","min":1,"max":1}]}""", "ranges[0]")]
    public Task ABadSearchIsRefusedByFieldAndQueuesNothing(string body, string field) => SweepsApiTests.AssertRefusedByFieldAsync(body, field);

    [Fact]
    public async Task TrainersTakingTheNextRunAtOnceNeverShareAnIndexOrPassTheBudget()
    {
        string connection = postgres.NewDatabase();
        var stores = new[] { new RunStore(new PostgresRunDatabase(connection)), new RunStore(new PostgresRunDatabase(connection)) };
        var search = new SweepSearch([new SweepRange("learningRate", 0.001, 0.1, true)], Budget: 6, Startup: 2, Seed: 1);
        stores[0].Sweeps.Insert(new Sweep("s1", "tpe", SweepKinds.Tpe, [], DateTimeOffset.UtcNow, [], Search: search), """{"dataset":"synthetic"}""");
        using var start = new ManualResetEventSlim();
        var takers = Enumerable.Range(0, 10).Select(i => Task.Run(() => { start.Wait(); return stores[i % 2].Sweeps.TakeNext("s1", search.Budget); })).ToList();
        start.Set();
        var taken = await Task.WhenAll(takers);

        Assert.Equal([2, 3, 4, 5], taken.OfType<int>().Order());
        Assert.Equal(6, taken.Count(t => t is null));
        Assert.Equal("""{"dataset":"synthetic"}""", stores[1].Sweeps.BaseSettings("s1"));
        var stored = stores[1].Sweeps.List("s1").Single().Search!;
        Assert.Equal((search.Ranges.Single(), 6, 2, 1L), (stored.Ranges.Single(), stored.Budget, stored.Startup, stored.Seed));
    }
}
