using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Export;

namespace AspireSimClr.Trainer.Runs;

/// <summary>Files a run leaves: its checkpoint and, made from it on demand, the encoder in PyTorch's format or as ONNX models.</summary>
public sealed class RunArtifacts(RunCoordinator coordinator)
{
    private readonly SemaphoreSlim _exportLock = new(1, 1);

    public string? Checkpoint(string runId)
    {
        var path = coordinator.CheckpointPath(runId);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Exports the checkpoint's encoder (again only when the checkpoint is newer than the last export).</summary>
    public Task<string?> EncoderAsync(string runId) => ExportAsync(runId, "encoder.pt", (model, path, _) =>
    {
        ModelExport.SaveEncoderForPyTorch(model.Network.Encoder, path);
        return Task.CompletedTask;
    }, CancellationToken.None);

    /// <summary>
    /// The encoder as an ONNX model, one file per variant beside the checkpoint, made again only when the checkpoint is
    /// newer. With a classifier, the run's dataset is loaded and a linear probe trained on its labelled train split
    /// (<see cref="UnlabelledDataException"/>, <see cref="DataNotFoundException"/> when it cannot be).
    /// </summary>
    public Task<string?> OnnxAsync(string runId, OnnxInputType input, bool projection, bool classifier, CancellationToken ct)
    {
        return ExportAsync(runId, OnnxExportOptions.FileNameFor(input, projection, classifier), async (model, path, token) =>
        {
            var options = new OnnxExportOptions(input, projection, RunId: runId);
            if (classifier) options = options with { Classifier = await ExportClassifier.TrainAsync(model, model.Config, new DatasetLoader(), token) };
            OnnxModelExport.Save(model, path, options);
        }, ct);
    }

    private async Task<string?> ExportAsync(string runId, string fileName, Func<TrainedModel, string, CancellationToken, Task> export, CancellationToken ct)
    {
        var checkpoint = Checkpoint(runId);
        if (checkpoint is null) return null;
        var target = Path.Combine(Path.GetDirectoryName(checkpoint)!, fileName);
        await _exportLock.WaitAsync(ct);
        try
        {
            if (!File.Exists(target) || File.GetLastWriteTimeUtc(target) < File.GetLastWriteTimeUtc(checkpoint))
            {
                await Task.Run(async () =>
                {
                    using var model = TrainedModel.Load(checkpoint, "cpu");
                    await export(model, target, ct);
                }, ct);
            }
            return target;
        }
        finally
        {
            _exportLock.Release();
        }
    }
}
