using System.Text.Json.Nodes;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>The OpenAPI document the trainer serves: the checked-in copy (docs/openapi/trainer-v1.json) is what it serves, and it describes the contract.</summary>
public class OpenApiDocumentTests
{
    private static string RepositoryFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AspireSimClr.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("AspireSimClr.sln not found"), relative);
    }

    private static async Task<JsonObject> Served()
    {
        await using var factory = new TrainerFactory();
        return JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    [Fact]
    public async Task TheCheckedInDocumentIsWhatTheServiceServes()
    {
        var served = await Served();
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFile("docs/openapi/trainer-v1.json")))!;
        if (!JsonNode.DeepEquals(served, checkedIn))
        {
            var copy = RepositoryFile("TestResults/openapi-served.json");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            await File.WriteAllTextAsync(copy, served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            Assert.Fail($"docs/openapi/trainer-v1.json differs from what the trainer serves (written to {copy}): run scripts/openapi.sh and check the difference in.");
        }
    }

    [Fact]
    public async Task EveryOperationHasItsIdResultsAndBodyAndTheSettingsTheirBounds()
    {
        var document = await Served();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                string where = $"{method.ToUpperInvariant()} {path}";
                Assert.False(string.IsNullOrEmpty(operation!["operationId"]?.GetValue<string>()), $"{where} has no operationId");
                var codes = operation["responses"]!.AsObject().Select(r => int.Parse(r.Key)).ToList();
                Assert.True(codes.Any(c => c is >= 200 and < 300), $"{where} has no success response");
                Assert.True(codes.Any(c => c is >= 400 and < 500), $"{where} has no 4xx response");
                if (method is "post" or "patch" && path is "/api/runs" or "/api/runs/{id}" or "/api/runs/{id}/fork" or "/api/sweeps" or "/api/previews/augmentation")
                    Assert.NotNull(operation["requestBody"]?["content"]?["application/json"]?["schema"]);
            }

        var schemas = document["components"]!["schemas"]!;
        var batchSize = schemas["NewRunRequest"]!["properties"]!["schedule"]!["properties"]!["batchSize"]!;
        var setting = ConfigSchema.Setting(nameof(TrainingConfig.BatchSize));
        Assert.Equal((setting.Min, setting.Max), (batchSize["minimum"]!.GetValue<double>(), batchSize["maximum"]!.GetValue<double>()));
        Assert.Equal(MethodNames.All, schemas["TrainingConfig"]!["properties"]!["method"]!["properties"]!["name"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(Enum.GetNames<RunStatus>(), schemas["RunStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        var create = document["paths"]!["/api/runs"]!["post"]!;
        Assert.Equal("apiKey", create["security"]![0]!.AsObject().Single().Key);
        Assert.Equal("HttpValidationProblemDetails", create["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1]);
    }
}
