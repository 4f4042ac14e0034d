using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Cli;

/// <summary>Shows training events on a terminal: a live progress line and one line per epoch, or JSON lines.</summary>
public sealed class ConsoleReporter(TextWriter output, bool json, bool interactive)
{
    /// <summary>The contract's JSON settings (<see cref="ContractJson"/>) over the trainer's source-generated types.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = ContractJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)).WithTrainerTypes();

    public void Report(TrainingEvent e)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(e, JsonOptions.TypeInfo<TrainingEvent>()));
            output.Flush();
            return;
        }
        switch (e)
        {
            case RunStarted s:
                output.WriteLine($"Training {s.Method} with {s.Model} on {s.Device} ({s.DeviceName}, batches {s.BatchPlacement}): {s.TrainImages:N0} train images ({s.TrainSource}), " +
                    $"{s.TestImages:N0} test images, {s.StepsPerEpoch} steps/epoch, {s.EncoderParameters:N0} encoder parameters, " +
                    $"{s.Precision}{(s.ChannelsLast ? " channels-last" : "")} ({s.RuntimeReason})" +
                    (s.Resumed ? $", resumed at epoch {s.StartEpoch + 1} batch {s.StartBatch}" : ""));
                break;
            case StepCompleted s when interactive:
                output.Write(Invariant($"\repoch {s.Epoch + 1} {Bar(s.Step + 1, s.StepsPerEpoch)} {s.Step + 1}/{s.StepsPerEpoch} loss {s.Loss:F4} lr {s.LearningRate:G3} {s.ImagesPerSecond:F0} img/s   "));
                break;
            case HealthWarning w:
                if (interactive) output.Write('\r' + new string(' ', 100) + '\r');
                output.WriteLine($"  warning ({w.Code}): {w.Message}");
                break;
            case EpochCompleted s:
                if (interactive) output.Write('\r' + new string(' ', 100) + '\r');
                output.WriteLine(Invariant($"epoch {s.Epoch + 1}/{s.Epochs}  loss {s.MeanLoss:F4}  lr {s.LearningRate:G3}  {s.ImagesPerSecond:F0} img/s  {s.Duration.TotalSeconds:F1} s  RSS {s.ResidentMemoryBytes / 1048576.0:F0} MiB{(s.DeviceMemoryBytes is { } gpu ? $"  GPU {gpu / 1048576.0:F0} MiB" : "")}  ETA {s.EstimatedRemaining:hh\\:mm\\:ss}"));
                break;
            case EvaluationCompleted s:
                output.WriteLine(Invariant($"  {s.Kind} top-1 {s.Top1 * 100:F2}% (train {s.TrainImages:N0}, test {s.TestImages:N0} images, {s.Duration.TotalSeconds:F1} s)"));
                break;
            case EmbeddingMapped s:
                output.WriteLine(Invariant($"  embedding map of {s.Images} images (PCA: {s.ExplainedVariance[0] * 100:F1}% + {s.ExplainedVariance[1] * 100:F1}% of the variance)"));
                break;
            case CheckpointSaved s:
                output.WriteLine($"  checkpoint {s.Path}");
                break;
            case RunStopped s:
                if (interactive) output.WriteLine();
                output.WriteLine($"Stopped at epoch {s.Epoch + 1}, batch {s.BatchInEpoch}; " + (s.CheckpointPath is null ? "no checkpoint folder." : $"resume with --resume {s.CheckpointPath}"));
                break;
            case RunCompleted s:
                output.WriteLine(Invariant($"Done in {s.Duration:hh\\:mm\\:ss}: final loss {s.FinalLoss:F4}") +
                    (s.KnnTop1 is { } knn ? Invariant($", kNN top-1 {knn * 100:F2}%") : "") +
                    (s.LinearTop1 is { } lin ? Invariant($", linear top-1 {lin * 100:F2}%") : "") +
                    (s.CheckpointPath is null ? "" : $", checkpoint {s.CheckpointPath}"));
                break;
        }
    }

    private static string Bar(int done, int total)
    {
        int filled = total == 0 ? 0 : 20 * done / total;
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
