using System.Net;
using AspireSimClr.Trainer.Runs;
using Microsoft.ML.OnnxRuntime;

namespace AspireSimClr.Trainer.Service.Tests;

public class ExportApiTests
{
    [Fact]
    public async Task ACompletedRunDownloadsAsOnnxModelsThatOnnxRuntimeLoads()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun());
        var done = await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.FailureReason);

        using (var plain = await LoadAsync(client, $"/api/runs/{run.Id}/encoder.onnx", $"simclr-{run.Id}-encoder.onnx"))
        {
            Assert.Equal(["embedding"], plain.OutputNames);
            Assert.Equal(typeof(float), plain.InputMetadata["images"].ElementType);
            Assert.Equal([-1, 3, 16, 16], plain.InputMetadata["images"].Dimensions);
        }

        using var full = await LoadAsync(client, $"/api/runs/{run.Id}/encoder.onnx?input=uint8&projection=true&classifier=true",
            $"simclr-{run.Id}-encoder-uint8-projection-classifier.onnx");
        Assert.Equal(["embedding", "projection", "logits"], full.OutputNames);
        Assert.Equal(typeof(byte), full.InputMetadata["images"].ElementType);
        var metadata = full.ModelMetadata.CustomMetadataMap;
        Assert.Equal(run.Id, metadata["run_id"]);
        Assert.Equal("tiny-cnn", metadata["model"]);
        Assert.StartsWith("[", metadata["classes"]);
        Assert.InRange(double.Parse(metadata["classifier_test_top1"], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
    }

    [Fact]
    public async Task BadOptionsGive400NamingTheFieldAndMissingRunsOrCheckpoints404()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();

        var errors = await RunsApiTests.Errors(await client.GetAsync("/api/runs/any/encoder.onnx?input=rgb&projection=yes&classifier=1"));
        Assert.Contains("float, uint8", errors["input"][0]);
        Assert.Contains("'yes'", errors["projection"][0]);
        Assert.Contains("'1'", errors["classifier"][0]);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/nonexistent/encoder.onnx")).StatusCode);

        // A run waiting behind another (one run at a time) has no checkpoint to export yet.
        await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 500, name: "long"));
        var waiting = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(name: "waiting"));
        var response = await client.GetAsync($"/api/runs/{waiting.Id}/encoder.onnx");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No checkpoint yet", await response.Content.ReadAsStringAsync());
        await client.PostAsync("/api/runs/cancel-all", null);
    }

    private static async Task<InferenceSession> LoadAsync(HttpClient client, string url, string expectedFileName)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedFileName, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        return new InferenceSession(await response.Content.ReadAsByteArrayAsync());
    }
}
