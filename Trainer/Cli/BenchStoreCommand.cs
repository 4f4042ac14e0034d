using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Cli;

/// <summary>
/// The run store's throughput on the embedded SQLite file and, given a connection string, on PostgreSQL: runs queued,
/// runs claimed per second by one worker and by several at once (each claim a conditional update only one can win),
/// and metric points written per second in the batches a training run writes.
/// </summary>
public static class BenchStoreCommand
{
    public static Command Create(TextWriter output)
    {
        var postgres = new Option<string?>("--postgres") { Description = "Also measure this PostgreSQL database (Npgsql connection string); its runs tables are used as they are." };
        var runs = new Option<int>("--runs") { Description = "Runs queued and claimed per measurement.", DefaultValueFactory = _ => 300 };
        var workers = new Option<int>("--workers") { Description = "Concurrent claimers in the second claim measurement.", DefaultValueFactory = _ => 4 };
        var points = new Option<int>("--points") { Description = "Metric points written.", DefaultValueFactory = _ => 20_000 };
        var batch = new Option<int>("--batch") { Description = "Points per write (a run flushes about every 200 ms).", DefaultValueFactory = _ => 20 };
        var command = new Command("bench-store", "Measure run-store throughput: claims per second and metric points per second, SQLite and PostgreSQL.")
            { postgres, runs, workers, points, batch };
        command.SetAction(parse =>
        {
            int runCount = parse.GetValue(runs), workerCount = parse.GetValue(workers), pointCount = parse.GetValue(points), batchSize = parse.GetValue(batch);
            if (runCount is < 1 or > 100_000) throw new CliUsageException("--runs: must be from 1 to 100,000.");
            if (workerCount is < 1 or > 64) throw new CliUsageException("--workers: must be from 1 to 64.");
            if (pointCount is < 1 or > 10_000_000) throw new CliUsageException("--points: must be from 1 to 10,000,000.");
            if (batchSize is < 1 or > 10_000) throw new CliUsageException("--batch: must be from 1 to 10,000.");

            var folder = Path.Combine(Path.GetTempPath(), "simclr-bench-store-" + Guid.NewGuid().ToString("N"));
            try
            {
                var stores = new List<(string Name, Func<RunStore> Open)> { ("SQLite", () => new RunStore(new SqliteRunDatabase(Path.Combine(folder, "trainer.db")))) };
                if (parse.GetValue(postgres) is { Length: > 0 } connection) stores.Add(("PostgreSQL", () => new RunStore(new PostgresRunDatabase(connection))));
                output.WriteLine($"{"store",-11} {"queue runs/s",13} {"claims/s (1)",13} {$"claims/s ({workerCount})",13} {"points/s",11}");
                foreach (var (name, open) in stores)
                {
                    var store = open();
                    double queued = Rate(runCount, () => Queue(store, runCount, "q"));
                    double single = Rate(runCount, () => ClaimAll(store, 1));
                    Queue(store, runCount, "p");
                    double parallel = Rate(runCount, () => ClaimAll(store, workerCount, () => open()));
                    double written = Rate(pointCount, () => Write(store, pointCount, batchSize));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-11} {queued,13:N0} {single,13:N0} {parallel,13:N0} {written,11:N0}"));
                }
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            return 0;
        });
        return command;
    }

    private static double Rate(int count, Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        return count / watch.Elapsed.TotalSeconds;
    }

    private static void Queue(RunStore store, int count, string prefix)
    {
        for (int i = 0; i < count; i++)
            store.Runs.Insert(new Run { Id = $"{prefix}{Guid.NewGuid().ToString("N")[..10]}", Name = "bench", Config = new TrainingConfig(), CreatedAt = DateTimeOffset.UtcNow });
    }

    /// <summary>Claims until the queue is empty, each claimer with its own store (as separate trainers would be).</summary>
    private static void ClaimAll(RunStore store, int claimers, Func<RunStore>? open = null)
    {
        Parallel.For(0, claimers, new ParallelOptions { MaxDegreeOfParallelism = claimers }, i =>
        {
            var own = open is null ? store : open();
            var now = DateTimeOffset.UtcNow;
            while (own.Queue.Claim($"bench-{i}", _ => true, now, now.AddMinutes(5)) is { } claimed)
                own.Runs.Move(claimed.Id, new RunMove(RunStatus.Completed) { HeldBy = $"bench-{i}", Finished = now });
        });
    }

    private static void Write(RunStore store, int count, int batch)
    {
        var id = $"m{Guid.NewGuid().ToString("N")[..10]}";
        store.Runs.Insert(new Run { Id = id, Name = "bench metrics", Config = new TrainingConfig(), CreatedAt = DateTimeOffset.UtcNow });
        for (int start = 0; start < count; start += batch)
        {
            var points = Enumerable.Range(start, Math.Min(batch, count - start)).Select(i => new MetricPoint
            {
                Sequence = i + 1, Kind = MetricKinds.Step, Epoch = i / 200, Step = i % 200, GlobalStep = i + 1, Loss = 5 - i * 1e-4, LearningRate = 0.3,
                ImagesPerSecond = 2400, Time = DateTimeOffset.UtcNow,
            }).ToList();
            store.History.Append(id, points);
        }
    }
}
