using System.Diagnostics;
using System.Text.Json;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Search;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// A run's embedding index in its folder (index/): built from its latest checkpoint over its whole dataset, with a thumbnail of
/// each image and the retrieval precision of every checkpoint indexed so far. One build at a time; a build replaces the
/// folder's files through temporary files, summary last. Searches run in memory, or in PostgreSQL with pgvector when the runs
/// are stored there and the server has the extension (<see cref="SearchIndexSummary.Backend"/> says which).
/// </summary>
public sealed class RunSearchIndex(RunArtifacts artifacts, IOptions<TrainerOptions> options, ILogger<RunSearchIndex> logger, PgVectorSearch? pgvector = null)
{
    public const int PrecisionK = 10;
    private const string SummaryFile = "summary.json";
    private const string PrecisionFile = "precision.json";
    /// <summary>Indexes kept open between queries: a CIFAR-10 index is 61 MB of vectors, read once rather than per query.</summary>
    private const int OpenIndexes = 4;
    private readonly SemaphoreSlim _buildLock = new(1, 1);
    private readonly Dictionary<string, SharedIndex> _open = [];

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
                // Without its summary the folder holds no index until the new one is whole; files a killed build left go.
                File.Delete(Path.Combine(folder, SummaryFile));
                foreach (var leftover in Directory.EnumerateFiles(folder, "*.tmp")) File.Delete(leftover);
                var (backend, reason) = await StoreVectorsAsync(runId, index, ct);
                index.Save(folder);
                IndexThumbnails.Write(data, folder, ct);
                var builtAt = DateTimeOffset.UtcNow;
                var history = History(folder).Where(p => p.Epoch != model.Position.Epoch).Append(new RetrievalPrecision(model.Position.Epoch, precision, builtAt))
                    .OrderBy(p => p.Epoch).ToList();
                AtomicFile.Write(Path.Combine(folder, PrecisionFile), stream => JsonSerializer.Serialize<IReadOnlyList<RetrievalPrecision>>(stream, history, TrainerJsonContext.Default.IReadOnlyListRetrievalPrecision));
                var summary = new SearchIndexSummary(index.Count, index.Dimensions, model.Position.Epoch, data.Train.Count, data.Test?.Count ?? 0,
                    precision, watch.Elapsed.TotalSeconds, builtAt, backend, reason, history);
                AtomicFile.Write(Path.Combine(folder, SummaryFile), stream => JsonSerializer.Serialize(stream, summary, TrainerJsonContext.Default.SearchIndexSummary));
                return summary;
            }, ct);
        }
        finally
        {
            _buildLock.Release();
        }
    }

    private async Task<(string Backend, string Reason)> StoreVectorsAsync(string runId, EmbeddingIndex index, CancellationToken ct)
    {
        if (pgvector is null) return (SearchBackends.Memory, "the runs are stored in SQLite: exact search in the trainer's memory");
        if (await pgvector.PrepareAsync(ct) is { } unavailable)
        {
            logger.LogInformation("Index of run {RunId} is searched in memory: {Reason}", runId, unavailable);
            return (SearchBackends.Memory, unavailable + ": exact search in the trainer's memory");
        }
        await pgvector.StoreAsync(runId, index, ct);
        return (SearchBackends.PgVector, "the runs are stored in PostgreSQL with pgvector: exact cosine search in the database");
    }

    public SearchIndexSummary? Summary(string runId)
    {
        var path = Path.Combine(Folder(runId), SummaryFile);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), TrainerJsonContext.Default.SearchIndexSummary) : null;
    }

    private static IReadOnlyList<RetrievalPrecision> History(string folder)
    {
        var path = Path.Combine(folder, PrecisionFile);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), TrainerJsonContext.Default.IReadOnlyListRetrievalPrecision) ?? [] : [];
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

    /// <summary>The k indexed images most similar to <paramref name="query"/>, best first, by the summary's backend.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string runId, SearchIndexSummary summary, EmbeddingIndex index, float[] query, int k, int? exclude, CancellationToken ct) =>
        summary.Backend == SearchBackends.PgVector && pgvector is not null
            ? await pgvector.SearchAsync(runId, query, k, exclude, ct)
            : index.Search(query, k, exclude);

    /// <summary>Entry <paramref name="entry"/>'s thumbnail as PNG bytes; null when the run has no index or no such entry.</summary>
    public byte[]? Thumbnail(string runId, int entry) => Summary(runId) is null ? null : IndexThumbnails.ReadPng(Folder(runId), entry);

    /// <summary>The saved index, shared with other queries until the lease is disposed; null when the run has none.</summary>
    public IndexLease? Open(string runId)
    {
        var summary = Summary(runId);
        lock (_open)
        {
            if (_open.TryGetValue(runId, out var cached) && (summary is null || cached.Summary.BuiltAt != summary.BuiltAt))
            {
                _open.Remove(runId);
                cached.Release();
            }
            if (summary is null) return null;
            if (!_open.TryGetValue(runId, out cached))
            {
                if (EmbeddingIndex.Load(Folder(runId)) is not { } loaded) return null;
                if (_open.Count >= OpenIndexes)
                {
                    var (oldest, shared) = _open.MinBy(o => o.Value.LastUsed);
                    _open.Remove(oldest);
                    shared.Release();
                }
                _open[runId] = cached = new SharedIndex(loaded, summary);
            }
            return cached.Acquire();
        }
    }

    /// <summary>An open index with a count of its users (the cache is one); the last to let go disposes it.</summary>
    internal sealed class SharedIndex(EmbeddingIndex index, SearchIndexSummary summary)
    {
        private int _users = 1;
        public EmbeddingIndex Index => index;
        public SearchIndexSummary Summary => summary;
        public long LastUsed { get; private set; } = Environment.TickCount64;

        public IndexLease Acquire()
        {
            lock (this) { _users++; LastUsed = Environment.TickCount64; }
            return new IndexLease(this);
        }

        public void Release()
        {
            lock (this) if (--_users > 0) return;
            index.Dispose();
        }
    }

    /// <summary>A query's use of an open index.</summary>
    public sealed class IndexLease : IDisposable
    {
        private SharedIndex? _shared;
        internal IndexLease(SharedIndex shared) => _shared = shared;
        public EmbeddingIndex Index => Shared.Index;
        /// <summary>The summary the index was opened with (its build).</summary>
        public SearchIndexSummary Summary => Shared.Summary;
        private SharedIndex Shared => _shared ?? throw new ObjectDisposedException(nameof(IndexLease));
        public void Dispose() => Interlocked.Exchange(ref _shared, null)?.Release();
    }
}
