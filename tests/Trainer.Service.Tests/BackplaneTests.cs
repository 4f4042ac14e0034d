using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>Live updates across trainers: SignalR's Redis backplane carries one trainer's run to clients of another.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BackplaneTests(PostgresServer postgres) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task AClientOfOneTrainerReceivesEveryMetricOfARunTrainedByAnotherWithoutGaps()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-backplane-" + Guid.NewGuid().ToString("N"));
        var database = postgres.NewDatabase();
        Dictionary<string, string> Settings(string worker) => new()
        {
            ["ConnectionStrings:runs"] = database, ["ConnectionStrings:redis"] = redis.ConnectionString, ["Trainer:WorkerName"] = worker, ["Trainer:LeaseSeconds"] = "5",
        };
        try
        {
            await using var b = await TrainerProcess.StartAsync(dataRoot, Settings("worker-b"));
            var run = await TrainerFactory.StartRunAsync(b.Client, new
            {
                name = "across", dataset = "synthetic", syntheticTrainSize = 1024, syntheticTestSize = 32, imageSize = 16, model = "tiny-cnn",
                projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, epochs = 20, learningRate = 1e-3, knnK = 10, linearProbeEpochs = 5, threads = 1,
            });
            await using var a = await TrainerProcess.StartAsync(dataRoot, Settings("worker-a"));

            var points = new ConcurrentQueue<MetricPoint>();
            var completed = new TaskCompletionSource();
            await using var hub = new HubConnectionBuilder().WithUrl(new Uri(a.Address, TrainingHubContract.Path), o => o.Headers["X-Api-Key"] = TrainerFactory.ApiKey)
                .AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions)).Build();
            hub.On<MetricBatch>(TrainingHubContract.Metrics, batch => { if (batch.RunId == run.Id) foreach (var p in batch.Points) points.Enqueue(p); });
            hub.On<RunChanged>(TrainingHubContract.RunChanged, change => { if (change.Run.Id == run.Id && change.Run.Status == RunStatus.Completed) completed.TrySetResult(); });
            await hub.StartAsync();
            await hub.InvokeAsync(TrainingHubContract.SubscribeRun, run.Id);

            await completed.Task.WaitAsync(TrainerFactory.RunTimeout);
            var finished = (await a.Client.GetFromJsonAsync<Run>($"/api/runs/{run.Id}", TrainerFactory.Json))!;
            Assert.Equal("worker-b", finished.Worker);
            var received = points.Select(p => p.Sequence).ToList();
            // Worker A trains nothing: every point it delivered came from B through Redis.
            Assert.True(received.Count > 0, "no point of B's run came through worker A");
            Assert.Equal(Enumerable.Range((int)received[0], received.Count).Select(s => (long)s), received);   // contiguous, no gap
            Assert.Equal(finished.LastSequence, received[^1]);
        }
        finally
        {
            await redis.DisposeAsync();
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }
}
