using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>The trainer killed with SIGKILL mid-epoch, started again on the same data folder, and the run resumed.</summary>
public class CrashRecoveryTests
{
    private const int StepsPerEpoch = 16384 / 32;

    [Fact]
    public async Task KilledMidEpochThenResumedKeepsExactlyOnePointPerStep()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            await using (var first = await TrainerProcess.StartAsync(dataRoot))
            {
                var run = await TrainerFactory.StartRunAsync(first.Client, new
                {
                    name = "killed", dataset = "synthetic", syntheticTrainSize = 16384, syntheticTestSize = 64, imageSize = 16, model = "tiny-cnn",
                    projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, epochs = 3, learningRate = 1e-3, knnK = 10, linearProbeEpochs = 5,
                    checkpointEveryEpochs = 1, threads = 1,
                });
                id = run.Id;
                // Kill once the first epoch is checkpointed and the second is under way, so steps after the checkpoint are recorded.
                var deadline = DateTime.UtcNow + TrainerFactory.RunTimeout;
                while (true)
                {
                    var points = (await first.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{id}/metrics", TrainerFactory.Json))!.Points;
                    if (points.Any(p => p.Kind == MetricKinds.Step && p.Epoch == 1 && p.Step >= 20)) break;
                    Assert.True(DateTime.UtcNow < deadline, "the run did not reach its second epoch");
                    await Task.Delay(50);
                }
                await first.KillAsync();
            }

            await using var second = await TrainerProcess.StartAsync(dataRoot);
            var interrupted = (await second.Client.GetFromJsonAsync<Run>($"/api/runs/{id}", TrainerFactory.Json))!;
            Assert.Equal(RunStatus.Interrupted, interrupted.Status);
            Assert.Contains("resume", interrupted.FailureReason);
            var beforeResume = (await second.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{id}/metrics", TrainerFactory.Json))!.Points;
            long recordedAfterCheckpoint = beforeResume.Count(p => p.Kind == MetricKinds.Step && p.GlobalStep > StepsPerEpoch);
            Assert.True(recordedAfterCheckpoint > 0, "steps after the checkpoint were recorded before the kill");

            var changes = new List<RunChanged>();
            await using var hub = new HubConnectionBuilder().WithUrl(new Uri(second.Address, "/hubs/training"))
                .AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions)).Build();
            hub.On<RunChanged>(TrainingHubContract.RunChanged, change => { lock (changes) changes.Add(change); });
            await hub.StartAsync();
            await hub.InvokeAsync(TrainingHubContract.SubscribeRun, id);

            Assert.Equal(HttpStatusCode.OK, (await second.Client.PostAsync($"/api/runs/{id}/resume", null)).StatusCode);
            var done = await TrainerFactory.WaitForStatus(second.Client, id, RunStatus.Completed, RunStatus.Failed);
            Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
            Assert.Equal(1, done.HistoryRevision);
            Assert.Equal(3, done.EpochsCompleted);

            var history = (await second.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{id}/metrics", TrainerFactory.Json))!.Points;
            var steps = history.Where(p => p.Kind == MetricKinds.Step).Select(p => p.GlobalStep!.Value).ToList();
            Assert.Equal(Enumerable.Range(1, 3 * StepsPerEpoch).Select(i => (long)i), steps);    // every step once, in order
            // Health signals (every 50 steps by default) likewise: once per measured step, none left from before the kill.
            Assert.Equal(Enumerable.Range(1, 3 * StepsPerEpoch / 50).Select(i => 50L * i), history.Where(p => p.Kind == MetricKinds.Health).Select(p => p.GlobalStep!.Value));
            Assert.Equal([0, 1, 2], history.Where(p => p.Kind == MetricKinds.Epoch).Select(p => p.Epoch));
            Assert.Equal([0, 1, 2], history.Where(p => p.Evaluation == "knn").Select(p => p.Epoch));
            Assert.Single(history, p => p.Evaluation == "linear");
            Assert.True(history.Zip(history.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence));
            // Later reads continue after the superseded points' sequence numbers, which are never reused.
            Assert.True(history.Where(p => p.GlobalStep > StepsPerEpoch).All(p => p.Sequence > beforeResume[^1].Sequence));
            lock (changes) Assert.Contains(changes, c => c.Change == "rewound" && c.Run.HistoryRevision == 1);
        }
        finally
        {
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }
}
