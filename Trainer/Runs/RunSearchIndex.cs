using System.Diagnostics;
using System.Text.Json;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Search;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// A run's embedding index in its folder (index/): built from its latest checkpoint over its whole dataset, read back for
/// each query. One build at a time; a build replaces the folder's files through temporary files, summary last.
/// </summary>
public sealed class RunSearchIndex(RunArtifacts artifacts, IOptions<TrainerOptions> options)
{
    public const int PrecisionK = 10;
    private const string SummaryFile = "summary.json";
    private readonly SemaphoreSlim _buildLock = new(1, 1);

    private string Folder(string runId) => Path.Combine(options.Value.RunFolder(runId), "index");

    /// <summary>Null when the run has no checkpoint. Throws <see cref="DataNotFoundException"/> and the like when its data cannot be read.</summary>
    public async Task<SearchIndexSummary?> BuildAsync(string runId, CancellationToken ct)
    {
        if (artifacts.Checkpoint(runId) is not { } checkpoint) return null;
        await _buildLock.WaitAsync(ct);
        try
        {
            return await Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                using var model = TrainedModel.Load(checkpoint, "cpu");
                using var data = await new DatasetLoader().LoadAsync(model.Config, ct);
                using var index = EmbeddingIndex.Build(model.Network.Encoder, data, model.Normalization, model.Config.ImageSize, model.Device, ct);
                var precision = index.PrecisionAtK(PrecisionK, ct);
                var folder = Directory.CreateDirectory(Folder(runId)).FullName;
                // Without its summary the folder holds no index until the new one is whole.
                File.Delete(Path.Combine(folder, SummaryFile));
                index.Save(folder);
                var summary = new SearchIndexSummary(index.Count, index.Dimensions, model.Position.Epoch, data.Train.Count, data.Test?.Count ?? 0,
                    precision, watch.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
                var temporary = Path.Combine(folder, $"{SummaryFile}.{Environment.ProcessId}.tmp");
                await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(summary, TrainerJsonContext.Default.SearchIndexSummary), ct);
                File.Move(temporary, Path.Combine(folder, SummaryFile), overwrite: true);
                return summary;
            }, ct);
        }
        finally
        {
            _buildLock.Release();
        }
    }

    public SearchIndexSummary? Summary(string runId)
    {
        var path = Path.Combine(Folder(runId), SummaryFile);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), TrainerJsonContext.Default.SearchIndexSummary) : null;
    }

    /// <summary>
    /// The representation of an uploaded image by the encoder the index was built with. Null when the run's latest checkpoint is
    /// not that encoder any more (the index must be built again); <see cref="InvalidDataException"/> for bytes that are no image.
    /// </summary>
    public float[]? Embed(string runId, SearchIndexSummary summary, byte[] image)
    {
        if (artifacts.Checkpoint(runId) is not { } checkpoint) return null;
        using var model = TrainedModel.Load(checkpoint, "cpu");
        return model.Position.Epoch == summary.Epoch ? ImageQuery.Embed(model, image) : null;
    }

    /// <summary>The saved index (the caller disposes it); null when the run has none.</summary>
    public EmbeddingIndex? Open(string runId) => Summary(runId) is null ? null : EmbeddingIndex.Load(Folder(runId));
}
