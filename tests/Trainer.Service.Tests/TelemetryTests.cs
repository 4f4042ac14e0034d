using System.Net.Http.Json;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AspireSimClr.Trainer.Service.Tests;

public class TelemetryTests
{
    [Fact]
    public async Task TrainingMetricsAndTracesAreExportedWithRunTags()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 2));
        await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed);

        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var names = factory.ExportedMetrics.Where(m => m.MeterName == TrainerTelemetry.Name).Select(m => m.Name).ToHashSet();
        foreach (var expected in new[] { "simclr.loss", "simclr.learning_rate", "simclr.images_per_second", "simclr.epoch.duration", "simclr.knn.top1", "simclr.steps", "simclr.runs.active", "simclr.runs.queued", "simclr.process.memory" })
            Assert.Contains(expected, names);

        var loss = factory.ExportedMetrics.First(m => m.Name == "simclr.loss");
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (ref readonly var point in loss.GetMetricPoints())
            foreach (var tag in point.Tags) tags.Add(tag);
        Assert.Contains(new KeyValuePair<string, object?>("run.id", run.Id), tags);
        Assert.Contains(new KeyValuePair<string, object?>("model", "tiny-cnn"), tags);
        Assert.Contains(new KeyValuePair<string, object?>("dataset", "synthetic"), tags);

        var spans = factory.ExportedActivities.Where(a => a.Source.Name == TrainerTelemetry.Name).ToList();
        var root = Assert.Single(spans, a => a.OperationName == "simclr.run");
        Assert.Equal(["simclr.epoch 1", "simclr.epoch 2"], spans.Where(a => a.OperationName.StartsWith("simclr.epoch")).Select(a => a.OperationName).Order());
        Assert.Contains(spans, a => a.OperationName == "simclr.evaluation knn");
        Assert.All(spans.Where(a => a != root), a => Assert.Equal(root.TraceId, a.TraceId));
    }
}
