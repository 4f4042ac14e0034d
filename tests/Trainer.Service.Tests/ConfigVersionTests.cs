using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireSimClr.Trainer.Runs;
using Microsoft.Data.Sqlite;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>Runs stored in the flat config of version 1 stay readable; the API takes and returns the config tree.</summary>
public class ConfigVersionTests
{
    [Fact]
    public async Task ARunStoredWithAFlatVersionOneConfigIsReadAfterTheUpgradeAndRewrittenAsATree()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-config-v1-" + Guid.NewGuid().ToString("N"));
        var database = Path.Combine(dataRoot, "trainer.db");
        var stored = new TrainingConfig { Dataset = DatasetNames.Synthetic, SyntheticTrainSize = 96, Epochs = 7, BatchSize = 48, Temperature = 0.2, Optimizer = OptimizerNames.Lars };
        var store = new RunStore(database);
        store.Runs.Insert(new Run { Id = "old-run", Name = "stored by version 1", Config = stored, CreatedAt = DateTimeOffset.UtcNow });
        store.Queue.Claim("old-trainer", _ => true, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(store.Runs.Move("old-run", new RunMove(RunStatus.Completed) { HeldBy = "old-trainer", Finished = DateTimeOffset.UtcNow }));
        // What the trainer wrote before the config tree: every setting flat, camelCase, no version, no method.
        var flat = new JsonObject();
        foreach (var setting in ConfigSchema.Settings.Where(s => s.Name != nameof(TrainingConfig.Method)))
            flat[setting.FlatJsonName] = JsonSerializer.SerializeToNode(setting.ValueIn(stored));
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE runs SET config = $config WHERE id = 'old-run'";
            command.Parameters.AddWithValue("$config", flat.ToJsonString());
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        await using var factory = new TrainerFactory(dataRoot);
        var client = factory.CreateAuthorizedClient();
        var run = (await client.GetFromJsonAsync<Run>("/api/runs/old-run", TrainerFactory.Json))!;
        Assert.Equal(stored, run.Config);
        var returned = (await client.GetFromJsonAsync<JsonElement>("/api/runs/old-run")).GetProperty("config");
        Assert.Equal(ConfigSchema.CurrentVersion, returned.GetProperty("version").GetInt32());
        Assert.Equal(48, returned.GetProperty("schedule").GetProperty("batchSize").GetInt32());
        Assert.Equal("simclr", returned.GetProperty("method").GetProperty("name").GetString());

        // Changing the run (a rename) writes it back in today's shape, with nothing lost.
        var renamed = await client.PatchAsJsonAsync("/api/runs/old-run", new { name = "renamed" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(stored, new RunStore(database).Runs.Get("old-run")!.Config);
    }

    [Fact]
    public async Task TheConfigTreeAsReturnedCanBePostedBackAndErrorsNameTheirPaths()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var first = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1, name: "original"));
        var returned = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{first.Id}")).GetProperty("config");

        var again = JsonNode.Parse(returned.GetRawText())!.AsObject();
        again["name"] = "posted back as a tree";
        again["method"]!["name"] = "vicreg";
        var copy = await TrainerFactory.StartRunAsync(client, again);
        Assert.Equal(first.Config with { Method = MethodNames.Vicreg }, copy.Config);

        again["schedule"]!["batchSize"] = 1;
        again["method"]!["queueSize"] = "many";
        again["views"]!["sharpness"] = 1;
        var refused = await client.PostAsJsonAsync("/api/runs", again);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("method.queueSize", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("views.sharpness", out _), errors.ToString());

        again["method"]!["queueSize"] = 64;
        again.Remove("views");
        refused = await client.PostAsJsonAsync("/api/runs", again);
        errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("negatives", errors.GetProperty("schedule.batchSize")[0].GetString());

        again["schedule"]!["batchSize"] = 32;
        again["version"] = 9;
        refused = await client.PostAsJsonAsync("/api/runs", again);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("version", out _));
    }
}
