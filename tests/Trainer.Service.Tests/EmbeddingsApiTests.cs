using System.Net;
using System.Net.Http.Json;

namespace AspireSimClr.Trainer.Service.Tests;

public class EmbeddingsApiTests
{
    [Fact]
    public async Task ARunsMapsAreListedServedAndMadeAgainFromItsCheckpoint()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 2));
        await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);

        var index = (await client.GetFromJsonAsync<EmbeddingMapIndex>($"/api/runs/{run.Id}/embeddings", TrainerFactory.Json))!;
        Assert.Equal([1, 2], index.Epochs);
        var sample = index.Sample!;
        Assert.Equal(32, sample.Count);                      // the whole (32-image) test split
        Assert.Equal(4, sample.ClassNames.Count);
        Assert.Equal(32, sample.Labels!.Count);

        var map = (await client.GetFromJsonAsync<EmbeddingMap>($"/api/runs/{run.Id}/embeddings/2", TrainerFactory.Json))!;
        Assert.Equal((2, 32, 32), (map.Epoch, map.X.Count, map.Neighbours.Count));
        var atlas = await client.GetAsync($"/api/runs/{run.Id}/embeddings/sample.png");
        Assert.Equal("image/png", atlas.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await atlas.Content.ReadAsByteArrayAsync()).Take(4));

        var metrics = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!;
        Assert.Equal([0, 1], metrics.Points.Where(p => p.Kind == MetricKinds.Embedding).Select(p => p.Epoch));

        var made = await client.PostAsync($"/api/runs/{run.Id}/embeddings", null);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var again = (await made.Content.ReadFromJsonAsync<EmbeddingMap>(TrainerFactory.Json))!;
        Assert.Equal(map.X, again.X);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/runs/{run.Id}/embeddings/9")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/nosuchrun/embeddings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/nosuchrun/embeddings/sample.png")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsync($"/api/runs/{run.Id}/embeddings", null)).StatusCode);
    }
}
