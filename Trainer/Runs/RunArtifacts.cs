using AspireSimClr.Engine.Checkpoints;

namespace AspireSimClr.Trainer.Runs;

/// <summary>Files a run leaves: its checkpoint and, made from it on demand, the encoder in PyTorch's format.</summary>
public sealed class RunArtifacts(RunCoordinator coordinator)
{
    private readonly SemaphoreSlim _exportLock = new(1, 1);

    public string? Checkpoint(string runId)
    {
        var path = coordinator.CheckpointPath(runId);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Exports the checkpoint's encoder (again only when the checkpoint is newer than the last export).</summary>
    public async Task<string?> EncoderAsync(string runId)
    {
        var checkpoint = Checkpoint(runId);
        if (checkpoint is null) return null;
        var encoder = Path.Combine(Path.GetDirectoryName(checkpoint)!, "encoder.pt");
        await _exportLock.WaitAsync();
        try
        {
            if (!File.Exists(encoder) || File.GetLastWriteTimeUtc(encoder) < File.GetLastWriteTimeUtc(checkpoint))
            {
                await Task.Run(() =>
                {
                    using var model = TrainedModel.Load(checkpoint, "cpu");
                    ModelExport.SaveEncoderForPyTorch(model.Network.Encoder, encoder);
                });
            }
            return encoder;
        }
        finally
        {
            _exportLock.Release();
        }
    }
}
