using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AspireSimClr.Trainer.Service.Tests;

public class ForkTests
{
    [Fact]
    public async Task AForkContinuesTheCheckpointWithEditedSettingsUnderANewIdWithTheHistoryLeadingToIt()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var source = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 2));
        await TrainerFactory.WaitForStatus(client, source.Id, RunStatus.Completed);

        var response = await client.PostAsJsonAsync($"/api/runs/{source.Id}/fork", new { epochs = 4, learningRate = 2e-3, name = "longer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var fork = (await response.Content.ReadFromJsonAsync<Run>(TrainerFactory.Json))!;
        Assert.NotEqual(source.Id, fork.Id);
        Assert.Equal((source.Id, 2, "longer"), (fork.ForkedFrom, fork.ForkedAtEpoch, fork.Name));
        Assert.Equal((4, 2e-3), (fork.Config.Epochs, fork.Config.LearningRate!.Value));
        await TrainerFactory.WaitForStatus(client, fork.Id, RunStatus.Completed);

        var before = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{source.Id}/metrics", TrainerFactory.Json))!.Points;
        var after = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{fork.Id}/metrics", TrainerFactory.Json))!.Points;
        Assert.Equal([0, 1, 2, 3], after.Where(p => p.Kind == MetricKinds.Epoch).Select(p => p.Epoch));
        Assert.Equal(before.Where(p => p.Kind == MetricKinds.Epoch).Select(p => p.Loss), after.Where(p => p.Kind == MetricKinds.Epoch).Take(2).Select(p => p.Loss));
        Assert.Equal([0, 1, 2, 3], after.Where(p => p is { Kind: MetricKinds.Evaluation, Evaluation: "knn" }).Select(p => p.Epoch));
        var steps = after.Where(p => p.Kind == MetricKinds.Step).Select(p => p.GlobalStep!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps);   // one point per step, no gap at the fork
        Assert.Equal(Enumerable.Range(1, after.Count).Select(i => (long)i), after.Select(p => p.Sequence));
        var maps = (await client.GetFromJsonAsync<EmbeddingMapIndex>($"/api/runs/{fork.Id}/embeddings", TrainerFactory.Json))!;
        Assert.Equal([1, 2, 3, 4], maps.Epochs);

        var unchanged = (await client.GetFromJsonAsync<Run>($"/api/runs/{source.Id}", TrainerFactory.Json))!;
        Assert.Equal((RunStatus.Completed, 2), (unchanged.Status, unchanged.EpochsCompleted));
    }

    [Theory]
    [InlineData("""{"model":"compact-cnn","epochs":4}""", "model")]
    [InlineData("""{"batchSize":16,"epochs":4}""", "batchSize")]
    [InlineData("""{"epochs":2}""", "epochs")]
    [InlineData("""{"epochs":4,"temperature":0}""", "temperature")]
    public async Task AForkThatCannotContinueTheCheckpointIsRefusedByField(string body, string field)
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var source = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 2));
        await TrainerFactory.WaitForStatus(client, source.Id, RunStatus.Completed);

        var response = await client.PostAsync($"/api/runs/{source.Id}/fork", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Single((await client.GetFromJsonAsync<List<Run>>("/api/runs", TrainerFactory.Json))!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/runs/nosuchrun/fork", new { epochs = 4 })).StatusCode);
    }
}
