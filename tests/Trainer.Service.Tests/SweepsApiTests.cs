using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireSimClr.Trainer.Service.Tests;

public class SweepsApiTests
{
    private static JsonObject QuickSettings() => JsonSerializer.SerializeToNode(TrainerFactory.QuickRun(epochs: 1))!.AsObject();

    [Fact]
    public async Task AGridQueuesEveryCombinationUnderOneSweepAndEachRunTrains()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsJsonAsync("/api/sweeps", new
        {
            name = "lr × t", kind = "grid", settings = QuickSettings(),
            axes = new object[] { new { setting = "learningRate", values = new[] { 1e-3, 3e-3 } }, new { setting = "temperature", values = new[] { 0.2, 0.5 } } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        Assert.Equal(4, created.Runs.Count);
        Assert.All(created.Runs, r => Assert.Equal(created.Sweep.Id, r.SweepId));
        Assert.Equal([(0.001, 0.2), (0.001, 0.5), (0.003, 0.2), (0.003, 0.5)], created.Runs.Select(r => (r.Config.LearningRate!.Value, r.Config.Temperature)));
        Assert.Equal("lr × t · learningRate=0.001, temperature=0.2", created.Runs[0].Name);
        Assert.Equal(["learningRate", "temperature"], created.Sweep.Axes.Select(a => a.Setting));

        foreach (var run in created.Runs) await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);
        var detail = (await client.GetFromJsonAsync<SweepDetail>($"/api/sweeps/{created.Sweep.Id}", TrainerFactory.Json))!;
        Assert.Equal(created.Runs.Select(r => r.Id), detail.Runs.Select(r => r.Id));
        Assert.All(detail.Runs, r => Assert.NotNull(r.BestKnnTop1));
        var listed = (await client.GetFromJsonAsync<List<Sweep>>("/api/sweeps", TrainerFactory.Json))!;
        Assert.Equal(created.Sweep.Id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task SeedGroupsAndRandomSearchesDrawTheirRuns()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var settings = QuickSettings();
        settings["seed"] = 7;
        var seeds = (await (await client.PostAsJsonAsync("/api/sweeps", new { name = "repeat", kind = "seeds", seeds = 3, settings })).Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        Assert.Equal([7L, 8, 9], seeds.Runs.Select(r => r.Config.Seed));
        Assert.Equal("repeat · seed 8", seeds.Runs[1].Name);

        var search = new { name = "search", kind = "random", samples = 6, settings, ranges = new object[] { new { setting = "learningRate", min = 1e-4, max = 1e-2, log = true }, new { setting = "knnK", min = 5, max = 20 } } };
        var first = (await (await client.PostAsJsonAsync("/api/sweeps", search)).Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        var second = (await (await client.PostAsJsonAsync("/api/sweeps", search)).Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        Assert.Equal(6, first.Runs.Count);
        Assert.All(first.Runs, r => Assert.InRange(r.Config.LearningRate!.Value, 1e-4, 1e-2));
        Assert.All(first.Runs, r => Assert.InRange(r.Config.KnnK, 5, 20));
        Assert.True(first.Runs.Select(r => r.Config.LearningRate).Distinct().Count() > 1);
        Assert.Equal(first.Runs.Select(r => r.Config.LearningRate), second.Runs.Select(r => r.Config.LearningRate));   // drawn from the base seed
        await client.PostAsync("/api/runs/cancel-all", null);
    }

    [Theory]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic"},"axes":[{"setting":"temperature","values":[0.5,0]}]}""", "axes[0].values")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic"},"axes":[{"setting":"noSuchSetting","values":[1]}]}""", "axes[0].setting")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","batchSize":1},"axes":[{"setting":"temperature","values":[0.5]}]}""", "settings.batchSize")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic"},"axes":[{"setting":"seed","values":[1,2,3,4,5,6,7,8,9]},{"setting":"knnK","values":[1,2,3,4,5,6,7,8]}]}""", "axes")]
    [InlineData("""{"kind":"random","settings":{"dataset":"synthetic"},"samples":3,"ranges":[{"setting":"model","min":1,"max":2}]}""", "ranges[0].setting")]
    [InlineData("""{"kind":"random","settings":{"dataset":"synthetic"},"samples":3,"ranges":[{"setting":"learningRate","min":0,"max":1,"log":true}]}""", "ranges[0].min")]
    [InlineData("""{"kind":"seeds","settings":{"dataset":"synthetic"},"seeds":100}""", "seeds")]
    [InlineData("""{"settings":{"dataset":"synthetic"},"seeds":3}""", "kind")]
    [InlineData("""{"kind":"seeds","seeds":3,"extra":1}""", "extra")]
    public Task ABadSweepIsRefusedByFieldAndQueuesNothing(string body, string field) => AssertRefusedByFieldAsync(body, field);

    /// <summary>Posts a sweep request that must get a 400 with an error on <paramref name="field"/>, and leave no run or sweep behind.</summary>
    internal static async Task AssertRefusedByFieldAsync(string body, string field)
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsync("/api/sweeps", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Empty((await client.GetFromJsonAsync<List<Run>>("/api/runs", TrainerFactory.Json))!);
        Assert.Empty((await client.GetFromJsonAsync<List<Sweep>>("/api/sweeps", TrainerFactory.Json))!);
    }
}
