using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireSimClr.Engine;
using AspireSimClr.Trainer.Alerts;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>Alerts posted to a webhook: a local HTTP listener stands in for Slack or Teams.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AlertTests(PostgresServer postgres)
{
    /// <summary>An HTTP listener on a free loopback port that records each alert posted and answers with the status the test scripts.</summary>
    private sealed class Webhook : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(int Status, JsonElement Body)> _received = [];
        private readonly Func<int, int?> _status;
        private readonly List<(Func<IReadOnlyList<(int Status, JsonElement Body)>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

        /// <param name="status">The status for the n-th request (0-based); null: never answer.</param>
        public Webhook(Func<int, int?> status)
        {
            _status = status;
            Url = $"http://127.0.0.1:{TrainerProcess.FreePort()}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public IReadOnlyList<(int Status, JsonElement Body)> Received { get { lock (_received) return [.. _received]; } }

        /// <summary>The alerts delivered (answered 2xx).</summary>
        public IReadOnlyList<JsonElement> Delivered => Received.Where(r => r.Status is >= 200 and < 300).Select(r => r.Body).ToList();

        /// <summary>Completes when the delivered alerts satisfy <paramref name="condition"/>.</summary>
        public Task Until(Func<IReadOnlyList<JsonElement>, bool> condition) =>
            UntilReceived(received => condition(received.Where(r => r.Status is >= 200 and < 300).Select(r => r.Body).ToList()));

        /// <summary>Completes when the requests received so far (answered or not) satisfy <paramref name="condition"/>.</summary>
        public Task UntilReceived(Func<IReadOnlyList<(int Status, JsonElement Body)>, bool> condition)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_received)
            {
                if (condition(_received)) done.SetResult();
                else _waiters.Add((condition, done));
            }
            return done.Task.WaitAsync(TrainerFactory.RunTimeout);
        }

        private void Record(int status, JsonElement body)
        {
            lock (_received)
            {
                _received.Add((status, body));
                foreach (var waiter in _waiters.Where(w => w.Condition(_received)).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) { return; }
                using var reader = new StreamReader(context.Request.InputStream);
                var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
                int index;
                lock (_received) index = _received.Count;
                if (_status(index) is not { } status)
                {
                    Record(0, body);   // left hanging
                    continue;
                }
                context.Response.StatusCode = status;
                context.Response.Close();
                Record(status, body);
            }
        }

        public void Dispose() => _listener.Close();
    }

    private static JsonObject Settings() => JsonSerializer.SerializeToNode(TrainerFactory.QuickRun(epochs: 1))!.AsObject();

    [Fact]
    public async Task RunsAndTheirSweepAreAnnouncedOnceEachAndARefusedPostIsTriedAgain()
    {
        using var webhook = new Webhook(index => index == 0 ? 503 : 200);
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["Alerts:Webhooks"] = webhook.Url, ["Alerts:RetryDelaySeconds"] = "0.05" });
        var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsJsonAsync("/api/sweeps", new
        {
            name = "alerted", kind = "grid", settings = Settings(),
            axes = new object[] { new { setting = "temperature", values = new[] { 0.2, 0.5 } } },
        });
        var sweep = (await response.Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;

        await webhook.Until(alerts => alerts.Any(a => a.GetProperty("event").GetString() == AlertEvents.SweepFinished));
        var delivered = webhook.Delivered;
        Assert.Equal(503, webhook.Received[0].Status);
        Assert.Equal(webhook.Received[0].Body.GetRawText(), webhook.Received[1].Body.GetRawText());   // the same alert, again
        Assert.Equal([AlertEvents.RunCompleted, AlertEvents.RunCompleted, AlertEvents.SweepFinished], delivered.Select(a => a.GetProperty("event").GetString()));
        Assert.Equal(sweep.Runs.Select(r => r.Id), delivered.Take(2).Select(a => a.GetProperty("run").GetProperty("id").GetString()));
        var completed = delivered[0];
        Assert.StartsWith($"AspireSimClr: run 'alerted · temperature=0.2' completed after 1 epochs, kNN top-1 ", completed.GetProperty("text").GetString());
        Assert.Equal("Completed", completed.GetProperty("run").GetProperty("status").GetString());
        var finished = delivered[2].GetProperty("sweep");
        Assert.Equal((sweep.Sweep.Id, 2, 2), (finished.GetProperty("id").GetString(), finished.GetProperty("runs").GetInt32(), finished.GetProperty("completed").GetInt32()));
        Assert.Contains(finished.GetProperty("bestRunId").GetString(), sweep.Runs.Select(r => r.Id));
        Assert.Contains("sweep 'alerted' finished: 2 of 2 runs completed; best", delivered[2].GetProperty("text").GetString());

        // A health warning is told with its code.
        var run = (await client.GetFromJsonAsync<Run>($"/api/runs/{sweep.Runs[0].Id}", TrainerFactory.Json))!;
        factory.Services.GetRequiredService<RunAlerts>().Warned(run, new HealthWarning(0, 3, "collapse", "The embeddings are collapsing."));
        await webhook.Until(alerts => alerts.Count == 4);
        var warning = webhook.Delivered[3];
        Assert.Equal((AlertEvents.RunWarning, "collapse"), (warning.GetProperty("event").GetString(), warning.GetProperty("warning").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task AWebhookThatNeverAnswersNeverHoldsUpTraining()
    {
        using var webhook = new Webhook(_ => null);
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string>
        {
            // Were alerts sent on the training thread, this one webhook would hold every run for 10 tries of two minutes.
            ["Alerts:Webhooks"] = webhook.Url, ["Alerts:TimeoutSeconds"] = "120", ["Alerts:RetryAttempts"] = "10",
        });
        var client = factory.CreateAuthorizedClient();
        var first = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1, name: "first"));
        var second = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1, name: "second"));
        Assert.Equal(RunStatus.Completed, (await TrainerFactory.WaitForStatus(client, first.Id, RunStatus.Completed, RunStatus.Failed)).Status);
        Assert.Equal(RunStatus.Completed, (await TrainerFactory.WaitForStatus(client, second.Id, RunStatus.Completed, RunStatus.Failed)).Status);
        await webhook.UntilReceived(received => received.Count >= 1);   // the first alert went out, and waits for an answer
        Assert.Equal(AlertEvents.RunCompleted, webhook.Received[0].Body.GetProperty("event").GetString());
    }

    [Fact]
    public void AlertSettingsThatCannotWorkStopTheStartNamingTheSetting()
    {
        using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["Alerts:Webhooks"] = "https://hooks.example/ok, ftp://files.example/x", ["Alerts:RetryAttempts"] = "-1" });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException ?? Assert.IsType<OptionsValidationException>(failure.GetBaseException());
        Assert.Contains("Alerts:Webhooks: 'ftp://files.example/x' is not an absolute http or https URL.", validation.Failures);
        Assert.Contains("Alerts:RetryAttempts must be from 0 to 10.", validation.Failures);
    }

    [Fact]
    public async Task ASweepIsMarkedFinishedOnceWhenTrainersEndItsLastRunsTogether()
    {
        string connection = postgres.NewDatabase();
        var stores = new[] { new RunStore(new PostgresRunDatabase(connection)), new RunStore(new PostgresRunDatabase(connection)) };
        stores[0].Sweeps.Insert(new Sweep("s1", "s", SweepKinds.Grid, [], DateTimeOffset.UtcNow, []));
        stores[0].Runs.Insert(new Run { Id = "a", Name = "a", Config = new TrainingConfig(), SweepId = "s1" });
        Assert.False(stores[0].Sweeps.MarkFinished("s1", 0, DateTimeOffset.UtcNow));   // a run is still queued
        Assert.True(stores[0].Runs.Move("a", new RunMove(RunStatus.Cancelled)));

        using var start = new ManualResetEventSlim();
        var markers = Enumerable.Range(0, 8).Select(i => Task.Run(() => { start.Wait(); return stores[i % 2].Sweeps.MarkFinished("s1", 0, DateTimeOffset.UtcNow); })).ToList();
        start.Set();
        Assert.Equal(1, (await Task.WhenAll(markers)).Count(marked => marked));
    }
}
