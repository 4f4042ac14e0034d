using System.Diagnostics;
using AspireSimClr.Contracts;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Search;
using static TorchSharp.torch;

// Usage: SearchBench [checkpoint data-dir] — sizes 50,000 and 1,000,000 random 256-d vectors; with a checkpoint, also the
// index of its CIFAR-10 (train + test) built from the encoder.
DeviceSelector.ApplyThreads(Environment.ProcessorCount);
GlibcAllocator.KeepLargeBuffersMapped();
Console.WriteLine($"{Environment.ProcessorCount} cores; exact cosine search, float32");

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
}

foreach (var count in new[] { 50_000, 1_000_000 })
{
    manual_seed(1);
    using var vectors = nn.functional.normalize(randn(count, 256), dim: 1);
    using var index = new EmbeddingIndex(vectors.alias(), [.. Enumerable.Range(0, count).Select(i => new IndexedImage("train", i, -1))], []);
    Report(index, $"{count:N0} random vectors");
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
