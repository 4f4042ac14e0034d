using System.Net.Http.Json;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Service.Tests;

public class HealthApiTests
{
    [Fact]
    public async Task HealthSignalsAreStoredAndServedWithTheRunsMetrics()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var settings = System.Text.Json.JsonSerializer.SerializeToNode(TrainerFactory.QuickRun(epochs: 1))!.AsObject();
        settings["healthEverySteps"] = 1;
        var run = await TrainerFactory.StartRunAsync(client, settings);
        await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);

        var metrics = (await client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics", TrainerFactory.Json))!;
        var health = metrics.Points.Where(p => p.Kind == MetricKinds.Health).ToList();
        Assert.Equal([1L, 2L, 3L], health.Select(p => p.GlobalStep!.Value));
        Assert.All(health, p =>
        {
            Assert.True(p.Health!.GradientNorm > 0);
            Assert.InRange(p.Health.PositiveCosine, -1, 1);
            Assert.Equal(0.25, p.Health.UniformStd, 6);   // projection dim 16
        });
    }

    [Fact]
    public void WarningsArePersistedWithTheRun()
    {
        var database = Path.Combine(Path.GetTempPath(), "simclr-warnings-" + Guid.NewGuid().ToString("N"), "trainer.db");
        try
        {
            var store = new RunStore(database);
            store.Runs.Insert(new Run { Id = "r1", Name = "warned", Config = new TrainingConfig(), CreatedAt = DateTimeOffset.UtcNow });
            var warning = new RunWarning("knn-plateau", "no gain for three evaluations", 14, 2925, DateTimeOffset.UtcNow);
            store.Runs.Edit("r1", r => r with { Warnings = [warning] });
            Assert.Equal([warning], new RunStore(database).Runs.Get("r1")!.Warnings);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
        }
    }
}
