using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireSimClr.AppHost.Tests;

/// <summary>The whole application as `dotnet run --project AppHost` starts it, through Aspire.Hosting.Testing.</summary>
public class AppHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TrainerStartsHealthyAndCompletesATinyRun()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-apphost-" + Guid.NewGuid().ToString("N"));
        const string apiKey = "apphost-test-key";
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Parameters:data-root={dataRoot}", $"--Parameters:api-key={apiKey}"]);
        await using var app = await appHost.BuildAsync();
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
}
