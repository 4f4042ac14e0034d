using System.Diagnostics;
using AspireSimClr.Contracts;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Search;
using static TorchSharp.torch;

// Usage: SearchBench [--pgvector connection-string] [checkpoint data-dir] — sizes 50,000 and 1,000,000 random 256-d vectors;
// with a checkpoint, also the index of its CIFAR-10 (train + test) built from the encoder. With --pgvector each index is
// also stored in that database's pgvector table and searched there.
DeviceSelector.ApplyThreads(Environment.ProcessorCount);
GlibcAllocator.KeepLargeBuffersMapped();
string? pgvectorConnection = null;
if (args is ["--pgvector", var connection, .. var rest]) (pgvectorConnection, args) = (connection, rest);
PgVectorBench? pgvector = pgvectorConnection is null ? null : await PgVectorBench.OpenAsync(pgvectorConnection);
Console.WriteLine($"{Environment.ProcessorCount} cores; exact cosine search, float32{(pgvector is null ? "" : "; also in PostgreSQL with pgvector")}");

if (args.Length == 2)
{
    using var trained = TrainedModel.Load(args[0], "cpu");
    using var data = await new DatasetLoader().LoadAsync(trained.Config with { DataDir = args[1], Download = false });
    var watch = Stopwatch.StartNew();
    using var index = EmbeddingIndex.Build(trained.Network.Encoder, data, trained.Normalization, trained.Config.ImageSize, CPU);
    Console.WriteLine($"build: {index.Count:N0} images of {trained.Config.Dataset} with {trained.Config.Model} in {watch.Elapsed.TotalSeconds:0.0} s");
    watch.Restart();
    var precision = index.PrecisionAtK(10);
    Console.WriteLine($"precision@10 (test queries, train gallery): {precision:P2} in {watch.Elapsed.TotalSeconds:0.0} s");
    watch.Restart();
    var pairs = index.NearDuplicates(0.98, 1000);
    Console.WriteLine($"near-duplicates ≥ 0.98: {pairs.Count} pairs in {watch.Elapsed.TotalSeconds:0.0} s");
    Report(index, "CIFAR-10 index");
    if (pgvector is not null) await pgvector.ReportAsync(index, "CIFAR-10 index");
}

foreach (var count in new[] { 50_000, 1_000_000 })
{
    manual_seed(1);
    using var vectors = nn.functional.normalize(randn(count, 256), dim: 1);
    using var index = new EmbeddingIndex(vectors.alias(), [.. Enumerable.Range(0, count).Select(i => new IndexedImage("train", i, -1))], []);
    Report(index, $"{count:N0} random vectors");
    if (pgvector is not null) await pgvector.ReportAsync(index, $"{count:N0} random vectors");
    if (count <= 50_000)
    {
        var watch = Stopwatch.StartNew();
        var pairs = index.NearDuplicates(0.5, 100);
        Console.WriteLine($"  near-duplicates over all {count:N0}² / 2 pairs: {watch.Elapsed.TotalSeconds:0.0} s ({pairs.Count} found ≥ 0.5)");
    }
}

static void Report(EmbeddingIndex index, string what)
{
    var query = HostArrays.ToArray<float>(index.Vectors[7]);
    index.Search(query, 10);
    var times = new List<double>();
    for (int i = 0; i < 20; i++)
    {
        var watch = Stopwatch.StartNew();
        index.Search(query, 10);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{what}: top-10 query median {times[10]:0.0} ms, slowest {times[^1]:0.0} ms ({index.Count * index.Dimensions * 4 / 1e6:0} MB of vectors)");
}

/// <summary>The trainer's pgvector backend on a database of its own: a run row for the vectors, then store and query timings.</summary>
sealed class PgVectorBench(AspireSimClr.Trainer.Runs.PgVectorSearch search, string runId)
{
    public static async Task<PgVectorBench> OpenAsync(string connectionString)
    {
        var store = new AspireSimClr.Trainer.Runs.RunStore(new AspireSimClr.Trainer.Runs.Storage.PostgresRunDatabase(connectionString));
        var run = store.Runs.Insert(new Run { Id = "bench" + Guid.NewGuid().ToString("N")[..8], Name = "pgvector bench", Config = new TrainingConfig(), CreatedAt = DateTimeOffset.UtcNow, Tags = [] });
        var search = new AspireSimClr.Trainer.Runs.PgVectorSearch(Npgsql.NpgsqlDataSource.Create(connectionString));
        if (await search.PrepareAsync(default) is { } unavailable) throw new InvalidOperationException(unavailable);
        return new PgVectorBench(search, run.Id);
    }

    public async Task ReportAsync(EmbeddingIndex index, string what)
    {
        var watch = Stopwatch.StartNew();
        await search.StoreAsync(runId, index, default);
        var stored = watch.Elapsed.TotalSeconds;
        var query = HostArrays.ToArray<float>(index.Vectors[7]);
        await search.SearchAsync(runId, query, 10, null, default);
        var times = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            watch.Restart();
            await search.SearchAsync(runId, query, 10, null, default);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"  pgvector: stored in {stored:0.0} s; top-10 query median {times[5]:0.0} ms, slowest {times[^1]:0.0} ms");
    }
}
