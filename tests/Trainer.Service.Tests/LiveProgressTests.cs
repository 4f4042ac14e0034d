using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Threading.Channels;
using AspireSimClr.Trainer.Api;
using AspireSimClr.Trainer.Hubs;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.SignalR.Client;

namespace AspireSimClr.Trainer.Service.Tests;

public class LiveProgressTests
{
    [Fact]
    public async Task HubStreamsARunsEventsInOrderWithoutGapsMatchingRest()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        await using var hub = factory.CreateHubConnection();
        var changes = Channel.CreateUnbounded<RunChanged>();
        var points = new ConcurrentQueue<MetricPoint>();
        int batches = 0;
        hub.On<RunChanged>("RunChanged", c => changes.Writer.TryWrite(c));
        hub.On<MetricBatch>("Metrics", b => { Interlocked.Increment(ref batches); foreach (var p in b.Points) points.Enqueue(p); });
        await hub.StartAsync();
        await hub.InvokeAsync("SubscribeAll");

        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 3));
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TrainerFactory.RunTimeout);
        while (!seen.Contains("completed") && !seen.Contains("failed"))
        {
            var change = await changes.Reader.ReadAsync(timeout.Token);
            Assert.Equal(run.Id, change.Run.Id);
            seen.Add(change.Change);
        }
        Assert.Equal(["created", "started", "completed"], seen);

        // Metrics sent before "completed" are all there, numbered 1..n, and equal what REST returns.
        var streamed = points.ToList();
        var stored = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!.Points;
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), streamed.Select(p => p.Sequence));
        Assert.Equal(stored.Select(p => (p.Kind, p.Loss, p.Top1)), streamed.Select(p => (p.Kind, p.Loss, p.Top1)));
        Assert.True(batches <= streamed.Count, "metric points are sent in batches");
    }

    [Fact]
    public async Task CancelStopsARunningRunWhichResumesToCompletionWithItsHistory()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        await using var hub = factory.CreateHubConnection();
        var firstStep = new TaskCompletionSource();
        hub.On<MetricBatch>("Metrics", b => { if (b.Points.Any(p => p.Kind == MetricKinds.Step)) firstStep.TrySetResult(); });
        await hub.StartAsync();
        await hub.InvokeAsync("SubscribeAll");

        var config = TrainerFactory.QuickRun(epochs: 100);
        var run = await TrainerFactory.StartRunAsync(client, config);
        await firstStep.Task.WaitAsync(TrainerFactory.RunTimeout);
        var cancel = await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode);

        var cancelled = await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Cancelled, RunStatus.Completed);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.HasCheckpoint);
        var before = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!.Points;
        int stepsBefore = before.Count(p => p.Kind == MetricKinds.Step);
        Assert.InRange(stepsBefore, 1, 299);

        Assert.True((await client.PostAsync($"/api/runs/{run.Id}/resume", null)).IsSuccessStatusCode);
        var done = await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
        var after = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!.Points;
        var steps = after.Where(p => p.Kind == MetricKinds.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), steps.Select(s => s.GlobalStep!.Value));
        Assert.Equal(before, after.Take(before.Count));
        Assert.Equal(Enumerable.Range(1, after.Count).Select(i => (long)i), after.Select(p => p.Sequence));
    }

    [Fact]
    public async Task RestartMidRunMarksItInterruptedAndItResumesWithHistoryIntact()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-restart-" + Guid.NewGuid().ToString("N"));
        string runId;
        IReadOnlyList<MetricPoint> before;
        await using (var first = new TrainerFactory(dataRoot) { DeleteDataRootOnDispose = false })
        {
            var client = first.CreateAuthorizedClient();
            var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 100));
            runId = run.Id;
            var deadline = DateTime.UtcNow + TrainerFactory.RunTimeout;
            while ((await client.GetFromJsonAsync<Run>($"/api/runs/{runId}", TrainerFactory.Json))!.EpochsCompleted < 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the run should finish an epoch");
                await Task.Delay(50);
            }
        }   // stopping the host stops the run mid-way

        await using var second = new TrainerFactory(dataRoot);
        var restarted = second.CreateAuthorizedClient();
        var interrupted = (await restarted.GetFromJsonAsync<Run>($"/api/runs/{runId}", TrainerFactory.Json))!;
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.NotNull(interrupted.FailureReason);
        before = (await restarted.GetFromJsonAsync<MetricsResponse>($"/api/runs/{runId}/metrics", TrainerFactory.Json))!.Points;
        Assert.Contains(before, p => p.Kind == MetricKinds.Epoch);

        Assert.True((await restarted.PostAsync($"/api/runs/{runId}/resume", null)).IsSuccessStatusCode);
        var done = await TrainerFactory.WaitForStatus(restarted, runId, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
        var after = (await restarted.GetFromJsonAsync<MetricsResponse>($"/api/runs/{runId}/metrics", TrainerFactory.Json))!.Points;
        Assert.Equal(before, after.Take(before.Count));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), after.Where(p => p.Kind == MetricKinds.Step).Select(s => s.GlobalStep!.Value));
        Assert.Equal(100, after.Count(p => p.Kind == MetricKinds.Epoch));
    }
}
