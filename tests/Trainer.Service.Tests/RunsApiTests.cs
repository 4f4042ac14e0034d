using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireSimClr.Trainer.Api;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Service.Tests;

public class RunsApiTests
{
    [Fact]
    public async Task CreatedRunIsQueuedTrainedAndListed()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsJsonAsync("/api/runs", TrainerFactory.QuickRun());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<Run>(TrainerFactory.Json))!;
        Assert.Equal($"/api/runs/{created.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(0.5, created.Config.Temperature);            // omitted settings take their defaults
        Assert.Equal(PrecisionNames.Auto, created.Config.Precision);
        Assert.Null(created.Runtime);
        Assert.Equal(["test"], created.Tags);

        var done = await TrainerFactory.WaitForStatus(client, created.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
        Assert.Equal(2, done.EpochsCompleted);
        Assert.NotNull(done.BestKnnTop1);
        Assert.NotNull(done.LinearTop1);
        Assert.True(done.HasCheckpoint);
        // The run says what "auto" became on this machine.
        Assert.NotNull(done.Runtime);
        Assert.Contains(done.Runtime.Precision, new[] { PrecisionNames.Fp32, PrecisionNames.Bf16 });
        Assert.True(done.Runtime.ChannelsLast, "a CPU computes channels-last in either precision");
        Assert.StartsWith("auto:", done.Runtime.Reason);

        var listed = await client.GetFromJsonAsync<Run[]>("/api/runs?status=completed&tag=test", TrainerFactory.Json);
        Assert.Equal(created.Id, Assert.Single(listed!).Id);
        Assert.Empty((await client.GetFromJsonAsync<Run[]>("/api/runs?status=queued", TrainerFactory.Json))!);

        var metrics = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{created.Id}/metrics", TrainerFactory.Json))!;
        Assert.Equal(6, metrics.Points.Count(p => p.Kind == MetricKinds.Step));
        Assert.Equal(2, metrics.Points.Count(p => p.Kind == MetricKinds.Epoch));
        Assert.Equal(Enumerable.Range(1, metrics.Points.Count).Select(i => (long)i), metrics.Points.Select(p => p.Sequence));
        // The run's linear top-1 is the probe on every label, not the label-efficiency probes after it.
        Assert.Equal(["linear", "linear@1%", "linear@10%"], metrics.Points.Where(p => p.Evaluation?.Contains("linear") == true).Select(p => p.Evaluation));
        Assert.Equal(metrics.Points.Single(p => p.Evaluation == EvaluationKinds.Linear).Top1, done.LinearTop1);
        var later = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{created.Id}/metrics?since=5", TrainerFactory.Json))!;
        Assert.Equal(metrics.Points.Skip(5).Select(p => p.Sequence), later.Points.Select(p => p.Sequence));

        var checkpoint = await client.GetAsync($"/api/runs/{created.Id}/checkpoint");
        Assert.Equal(HttpStatusCode.OK, checkpoint.StatusCode);
        var encoder = await client.GetAsync($"/api/runs/{created.Id}/encoder");
        Assert.Equal(HttpStatusCode.OK, encoder.StatusCode);
        Assert.True((await encoder.Content.ReadAsByteArrayAsync()).Length > 1000);
    }

    [Fact]
    public async Task InvalidSettingsGive400NamingEachField()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();

        var response = await client.PostAsJsonAsync("/api/runs", new { dataset = "synthetic", batchSize = 1, temperature = 0, model = "vgg99", precision = "fp16" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await Errors(response);
        Assert.Contains("fp32, bf16", errors["precision"][0]);
        Assert.Contains("negatives", errors["batchSize"][0]);
        Assert.Contains("greater than 0", errors["temperature"][0]);
        Assert.Contains("vgg99", errors["model"][0]);

        response = await client.PostAsJsonAsync("/api/runs", new { epochs = "ten", colour = "blue", tags = "x" });
        errors = await Errors(response);
        Assert.Equal("must be a whole number.", errors["epochs"][0]);
        Assert.Contains("not a run setting", errors["colour"][0]);
        Assert.Contains("array of strings", errors["tags"][0]);

        response = await client.PostAsJsonAsync("/api/runs", new { dataset = "image-folder", dataDir = "/nonexistent/photos" });
        errors = await Errors(response);
        Assert.Contains("data roots", errors["dataDir"][0]);

        var missing = Path.Combine(factory.DataRoot, "datasets", "photos");
        response = await client.PostAsJsonAsync("/api/runs", new { dataset = "image-folder", dataDir = missing });
        errors = await Errors(response);
        Assert.Contains(missing, errors["dataDir"][0]);

        response = await client.PostAsJsonAsync("/api/runs", new { dataset = "cifar10", download = false });
        errors = await Errors(response);
        Assert.Contains("cifar-10-batches-bin", errors["dataDir"][0]);

        Assert.Empty((await client.GetFromJsonAsync<Run[]>("/api/runs", TrainerFactory.Json))!);
    }

    [Fact]
    public async Task ChangesNeedTheApiKeyButReadsDoNot()
    {
        await using var factory = new TrainerFactory();
        var anonymous = factory.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/runs", TrainerFactory.QuickRun());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        anonymous.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/runs/cancel-all", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/api/datasets")).StatusCode);
    }

    [Fact]
    public async Task UnknownRunIs404AndCancellingAFinishedRunIs409()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/runs/nope/cancel", null)).StatusCode);

        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);
        var conflict = await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{run.Id}/resume", null)).StatusCode);
        Assert.Equal(RunStatus.Completed, (await client.GetFromJsonAsync<Run>($"/api/runs/{run.Id}", TrainerFactory.Json))!.Status);
    }

    [Fact]
    public async Task RunsQueueOneAtATimeAndQueuedOrRunningRunsCanBeCancelled()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        // The first run would train for thousands of steps: it is still running until the test cancels it.
        var first = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1000, name: "first"));
        var second = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1, name: "second"));
        var third = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1, name: "third"));
        await TrainerFactory.WaitForStatus(client, first.Id, RunStatus.Running);
        third = (await client.GetFromJsonAsync<Run>($"/api/runs/{third.Id}", TrainerFactory.Json))!;
        Assert.Equal((RunStatus.Queued, 2), (third.Status, third.QueuePosition));
        Assert.Equal(1, (await client.GetFromJsonAsync<Run>($"/api/runs/{second.Id}", TrainerFactory.Json))!.QueuePosition);

        var cancelled = await client.PostAsync($"/api/runs/{third.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await cancelled.Content.ReadFromJsonAsync<Run>(TrainerFactory.Json))!.Status);
        Assert.Equal(RunStatus.Queued, (await client.GetFromJsonAsync<Run>($"/api/runs/{second.Id}", TrainerFactory.Json))!.Status);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{first.Id}/cancel", null)).StatusCode);
        var a = await TrainerFactory.WaitForStatus(client, first.Id, RunStatus.Cancelled);
        var b = await TrainerFactory.WaitForStatus(client, second.Id, RunStatus.Completed);
        Assert.True(a.FinishedAt <= b.StartedAt, "runs should not overlap with one run at a time");
        Assert.Null((await client.GetFromJsonAsync<Run>($"/api/runs/{third.Id}", TrainerFactory.Json))!.StartedAt);
    }

    [Fact]
    public async Task PatchChangesNameTagsAndNotesOnly()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        var patched = await client.PatchAsJsonAsync($"/api/runs/{run.Id}", new { name = "renamed", tags = new[] { "a", "b" }, notes = "n" });
        var updated = (await patched.Content.ReadFromJsonAsync<Run>(TrainerFactory.Json))!;
        Assert.Equal(("renamed", "n"), (updated.Name, updated.Notes));
        Assert.Equal(["a", "b"], updated.Tags);

        var rejected = await client.PatchAsJsonAsync($"/api/runs/{run.Id}", new { epochs = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("epochs", (await Errors(rejected)).Keys);
    }

    [Fact]
    public async Task DeleteRemovesTheRunItsMetricsAndItsFiles()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);
        var folder = Path.Combine(factory.DataRoot, "runs", run.Id);
        Assert.True(Directory.Exists(folder));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/runs/{run.Id}/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
    }

    [Fact]
    public async Task DatasetsAndSystemDescribeTheTrainer()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateClient();
        var datasets = await client.GetFromJsonAsync<JsonElement>("/api/datasets");
        var synthetic = datasets.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "synthetic");
        Assert.True(synthetic.GetProperty("present").GetBoolean());
        var system = await client.GetFromJsonAsync<JsonElement>("/api/system");
        Assert.Equal("cpu", system.GetProperty("machine").GetProperty("defaultDevice").GetString());
        Assert.True(system.GetProperty("machine").GetProperty("torchThreads").GetInt32() >= 1);
        Assert.False(string.IsNullOrWhiteSpace(system.GetProperty("machine").GetProperty("cpuName").GetString()));
        Assert.Equal(File.Exists("/proc/driver/nvidia/version"), system.GetProperty("machine").GetProperty("gpus").GetArrayLength() > 0);
        Assert.Equal(0, system.GetProperty("queue").GetProperty("running").GetInt32());
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/runs/{id}/metrics", out _));
    }

    internal static async Task<Dictionary<string, string[]>> Errors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }
}
