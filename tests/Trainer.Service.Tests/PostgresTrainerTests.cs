using System.Net.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>The trainer service with its runs in PostgreSQL (ConnectionStrings:runs) instead of the SQLite file.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTrainerTests(PostgresServer postgres)
{
    [Fact]
    public async Task ARunTrainedByOneTrainerIsServedWithItsHistoryByAnotherOnTheSameDatabase()
    {
        var database = new Dictionary<string, string> { ["ConnectionStrings:runs"] = postgres.NewDatabase() };
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-pg-service-" + Guid.NewGuid().ToString("N"));
        Run run;
        MetricsResponse trained;
        await using (var first = new TrainerFactory(dataRoot, database) { DeleteDataRootOnDispose = false })
        {
            var client = first.CreateAuthorizedClient();
            run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 2));
            await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);
            trained = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!;
            var system = await client.GetStringAsync("/api/system");
            Assert.Contains("PostgreSQL 127.0.0.1", system);
        }
        Assert.False(File.Exists(Path.Combine(dataRoot, "trainer.db")), "the runs are not in the SQLite file");

        await using var second = new TrainerFactory(dataRoot, database);
        var other = second.CreateAuthorizedClient();
        var served = (await other.GetFromJsonAsync<Run>($"/api/runs/{run.Id}", TrainerFactory.Json))!;
        Assert.Equal((RunStatus.Completed, 2), (served.Status, served.EpochsCompleted));
        var history = (await other.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!;
        Assert.Equal(trained.Points.Select(p => (p.Sequence, p.Kind, p.Loss)), history.Points.Select(p => (p.Sequence, p.Kind, p.Loss)));
        Assert.Contains(history.Points, p => p.Kind == MetricKinds.Step);

        // A run asking for a GPU this trainer lacks is accepted (another trainer on the queue may have one) and left queued
        // by this CPU worker, which trains the CPU run queued after it.
        var gpu = System.Text.Json.JsonSerializer.SerializeToNode(TrainerFactory.QuickRun(epochs: 1, name: "needs a gpu"))!.AsObject();
        gpu["device"] = "cuda:0";
        var waiting = await TrainerFactory.StartRunAsync(other, gpu);
        var cpu = await TrainerFactory.StartRunAsync(other, TrainerFactory.QuickRun(epochs: 1, name: "second trainer"));
        await TrainerFactory.WaitForStatus(other, cpu.Id, RunStatus.Completed);
        Assert.Equal(RunStatus.Queued, (await other.GetFromJsonAsync<Run>($"/api/runs/{waiting.Id}", TrainerFactory.Json))!.Status);
        Assert.Equal(3, (await other.GetFromJsonAsync<List<Run>>("/api/runs", TrainerFactory.Json))!.Count);
    }

    [Fact]
    public async Task ARunsIndexIsSearchedByPgVectorWhenTheServerHasTheExtensionAndInMemoryOtherwise()
    {
        var connectionString = postgres.NewDatabase();
        bool hasPgVector;
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var probe = new Npgsql.NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')", connection);
            hasPgVector = (bool)(await probe.ExecuteScalarAsync())!;
        }
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["ConnectionStrings:runs"] = connectionString });
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);
        var built = await client.PostAsync($"/api/runs/{run.Id}/index", null);
        Assert.True(built.IsSuccessStatusCode, await built.Content.ReadAsStringAsync());
        var summary = (await built.Content.ReadFromJsonAsync<SearchIndexSummary>(TrainerFactory.Json))!;
        if (!hasPgVector)
        {
            Assert.Equal(SearchBackends.Memory, summary.Backend);
            Assert.Contains("no pgvector extension", summary.BackendReason);
            return;
        }

        Assert.Equal(SearchBackends.PgVector, summary.Backend);
        var pgvector = factory.Services.GetRequiredService<Runs.PgVectorSearch>();
        Assert.Equal(128, await pgvector.CountAsync(run.Id, default));
        // The database's answer is the exact answer the vectors give in memory.
        using var index = Engine.Search.EmbeddingIndex.Load(Path.Combine(factory.DataRoot, "runs", run.Id, "index"))!;
        using var row = index.Vectors[100];
        var expected = index.Search(Engine.Runtime.HostArrays.ToArray<float>(row), 8, exclude: 100);
        var found = (await client.GetFromJsonAsync<SearchResponse>($"/api/runs/{run.Id}/search?image=100&k=8", TrainerFactory.Json))!;
        Assert.Equal(expected.Select(h => h.Index), found.Hits.Select(h => h.Index));
        Assert.All(expected.Zip(found.Hits), p => Assert.Equal(p.First.Score, p.Second.Score, 5));

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
        Assert.Equal(0, await pgvector.CountAsync(run.Id, default));
    }

    [Fact]
    public async Task TheSharedDatabaseIsHealthCheckedAndItsQueriesAreTraced()
    {
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["ConnectionStrings:runs"] = postgres.NewDatabase() });
        var client = factory.CreateAuthorizedClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        await client.GetStringAsync("/api/runs");

        // Registered through Aspire's Npgsql integration: its health check and Npgsql's own spans, one per command.
        var checks = factory.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();
        Assert.Contains(checks, name => name.Contains("PostgreSQL", StringComparison.OrdinalIgnoreCase) || name.Contains("npgsql", StringComparison.OrdinalIgnoreCase));
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Assert.Contains(factory.ExportedActivities, a => a.Source.Name == "Npgsql" && a.Tags.Any(t => t.Key == "db.system" || t.Key == "db.system.name"));
    }
}
