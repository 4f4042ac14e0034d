using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.AppHost.Tests;

/// <summary>The whole application as `dotnet run --project AppHost` starts it, through Aspire.Hosting.Testing.</summary>
public class AppHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private const string apiKey = "apphost-test-key";

    private static string NewDataRoot() => Path.Combine(Path.GetTempPath(), "simclr-apphost-" + Guid.NewGuid().ToString("N"));

    private static async Task<DistributedApplication> BuildAppAsync(string dataRoot, params string[] arguments)
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Parameters:data-root={dataRoot}", $"--Parameters:api-key={apiKey}", "--Parameters:dashboard-password=apphost-test-password", .. arguments]);
        return await appHost.BuildAsync();
    }

    [Fact]
    public async Task StopFromTheAspireDashboardEndsTheTrainerGracefullyAndStartBringsItBack()
    {
        // Under test the Aspire dashboard is off, so the trainer's OTLP collector is unreachable: its exports
        // must not hold the stop up until the orchestrator gives up and kills the process (stop reported failed).
        var dataRoot = NewDataRoot();
        await using var app = await BuildAppAsync(dataRoot);
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await app.StartAsync(cancellation.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("trainer", cancellation.Token);
            for (int round = 0; round < 2; round++)
            {
                var stop = await app.ResourceCommands.ExecuteCommandAsync("trainer", KnownResourceCommands.StopCommand, cancellation.Token);
                Assert.True(stop.Success, $"stop {round + 1} failed: {stop.Message}");
                var stopped = await app.ResourceNotifications.WaitForResourceAsync("trainer",
                    e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), cancellation.Token);
                Assert.Equal(0, stopped.Snapshot.ExitCode);

                var start = await app.ResourceCommands.ExecuteCommandAsync("trainer", KnownResourceCommands.StartCommand, cancellation.Token);
                Assert.True(start.Success, $"start {round + 1} failed: {start.Message}");
                // The start command can return while the last snapshot is still the stop's Exited, which a health wait
                // (under test it stops at an unavailable resource) would take for a failed start: wait for the new process first.
                await app.ResourceNotifications.WaitForResourceAsync("trainer",
                    e => e.Snapshot.State?.Text is { } state && !KnownResourceStates.TerminalStates.Contains(state), cancellation.Token);
                await app.ResourceNotifications.WaitForResourceHealthyAsync("trainer", cancellation.Token);
            }
        }
        finally
        {
            await app.StopAsync();
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    [Fact]
    public async Task TrainerStartsHealthyAndCompletesATinyRun()
    {
        var dataRoot = NewDataRoot();
        await using var app = await BuildAppAsync(dataRoot);
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await app.StartAsync(cancellation.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("trainer", cancellation.Token);

            using var client = app.CreateHttpClient("trainer");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/runs", new { dataset = "synthetic" }, cancellation.Token)).StatusCode);
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var created = await client.PostAsJsonAsync("/api/runs", new
            {
                name = "apphost", dataset = "synthetic", syntheticTrainSize = 64, syntheticTestSize = 32, imageSize = 16,
                model = "tiny-cnn", projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, epochs = 2, knnK = 10, linearProbeEpochs = 5,
            }, cancellation.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellation.Token)).GetProperty("id").GetString();

            JsonElement run;
            do
            {
                await Task.Delay(100, cancellation.Token);
                run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}", cancellation.Token);
            }
            while (run.GetProperty("status").GetString() is "Queued" or "Running");

            Assert.Equal("Completed", run.GetProperty("status").GetString());
            Assert.Equal(2, run.GetProperty("epochsCompleted").GetInt32());
            Assert.True(File.Exists(Path.Combine(dataRoot, "trainer.db")), "the trainer stores runs in the data-root parameter's folder");
        }
        finally
        {
            await app.StopAsync();
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    [Fact]
    public async Task KilledTrainerIsStartedAgainAndResumesItsInterruptedRunByItself()
    {
        var dataRoot = NewDataRoot();
        await using var app = await BuildAppAsync(dataRoot, "--Parameters:auto-resume-interrupted=true");
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await app.StartAsync(cancellation.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("trainer", cancellation.Token);
            using var client = app.CreateHttpClient("trainer");
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var created = await client.PostAsJsonAsync("/api/runs", new
            {
                name = "crashes", dataset = "synthetic", syntheticTrainSize = 16384, syntheticTestSize = 64, imageSize = 16, model = "tiny-cnn",
                projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, epochs = 2, knnK = 10, linearProbeEpochs = 5, threads = 1,
            }, cancellation.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellation.Token)).GetProperty("id").GetString();

            // Wait for the second epoch, then kill the trainer's whole process tree with SIGKILL.
            while (!(await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/metrics", cancellation.Token)).GetProperty("points").EnumerateArray()
                       .Any(p => p.GetProperty("kind").GetString() == "step" && p.GetProperty("epoch").GetInt32() == 1))
                await Task.Delay(50, cancellation.Token);
            var running = await app.ResourceNotifications.WaitForResourceAsync("trainer",
                e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), cancellation.Token);
            int pid = Convert.ToInt32(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value!.ToString());
            System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);

            // The AppHost starts it again; the run is resumed without a click and completes with one point per step.
            // Until then the trainer does not answer; polling goes on through the outage.
            JsonElement run = default;
            do
            {
                await Task.Delay(100, cancellation.Token);
                try { run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}", cancellation.Token); }
                catch (HttpRequestException) { continue; }
            }
            while (run.ValueKind != JsonValueKind.Object || run.GetProperty("status").GetString() is "Queued" or "Running" or "Interrupted");
            Assert.Equal("Completed", run.GetProperty("status").GetString());
            Assert.Equal(1, run.GetProperty("historyRevision").GetInt64());
            var steps = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/metrics", cancellation.Token)).GetProperty("points").EnumerateArray()
                .Where(p => p.GetProperty("kind").GetString() == "step").Select(p => p.GetProperty("globalStep").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(1, 2 * 512).Select(i => (long)i), steps);
        }
        finally
        {
            await app.StopAsync();
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    [Fact]
    public async Task ScaleOutModeRunsTwoTrainersOnOnePostgresQueueJoinedThroughRedis()
    {
        var dataRoot = NewDataRoot();
        int postgresPort = FreePort(), redisPort = FreePort();
        await using var app = await BuildAppAsync(dataRoot, "--ScaleOut:Trainers=2", "--ScaleOut:Infrastructure=executables",
            $"--ScaleOut:PostgresPort={postgresPort}", $"--ScaleOut:RedisPort={redisPort}");
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await app.StartAsync(cancellation.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", cancellation.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("redis", cancellation.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("trainer", cancellation.Token);
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            Assert.Equal(2, model.Resources.Single(r => r.Name == "trainer").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);

            using var client = app.CreateHttpClient("trainer");
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            var system = await client.GetFromJsonAsync<JsonElement>("/api/system", cancellation.Token);
            Assert.Equal($"PostgreSQL 127.0.0.1:{postgresPort}/postgres", system.GetProperty("queue").GetProperty("store").GetString());

            var ids = new List<string>();
            for (int i = 0; i < 4; i++)
            {
                var created = await client.PostAsJsonAsync("/api/runs", new { name = $"scale-out {i}", dataset = "synthetic", model = "tiny-cnn", epochs = 2, batchSize = 32,
                    syntheticTrainSize = 128, syntheticTestSize = 32, imageSize = 16, projectionHiddenDim = 32, projectionDim = 16, knnK = 10, linearProbeEpochs = 5, threads = 1 }, cancellation.Token);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>(cancellation.Token)).GetProperty("id").GetString()!);
            }
            foreach (var id in ids)
            {
                while (true)
                {
                    var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}", cancellation.Token);
                    var status = run.GetProperty("status").GetString();
                    if (status == "Completed") { Assert.False(string.IsNullOrEmpty(run.GetProperty("worker").GetString())); break; }
                    Assert.True(status is "Queued" or "Running", $"run {id} is {status}: {run}");
                    await Task.Delay(200, cancellation.Token);
                }
            }
        }
        finally
        {
            await app.StopAsync();
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
