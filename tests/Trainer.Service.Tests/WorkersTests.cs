using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;
using Npgsql;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>Two trainer processes sharing one PostgreSQL database and artifact folder: one queue, leases, failover.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkersTests(PostgresServer postgres)
{
    private static object Run(string name, int epochs, int trainImages = 96) => new
    {
        name, dataset = "synthetic", syntheticTrainSize = trainImages, syntheticTestSize = 32, imageSize = 16, model = "tiny-cnn",
        projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, epochs, learningRate = 1e-3, knnK = 10, linearProbeEpochs = 5,
        checkpointEveryEpochs = 1, threads = 1, knnEveryEpochs = 0, embeddingMapImages = 0,
    };

    private Dictionary<string, string> Settings(string database, string worker) => new()
    {
        ["ConnectionStrings:runs"] = database,
        ["Trainer:WorkerName"] = worker,
        ["Trainer:LeaseSeconds"] = "2",
        ["Trainer:AutoResumeInterrupted"] = "true",
    };

    [Fact]
    public async Task QueuedRunsAreEachTrainedOnceAndAKilledWorkersRunIsResumedByTheOtherWithACleanHistory()
    {
        var database = postgres.NewDatabase();
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-workers-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var a = await TrainerProcess.StartAsync(dataRoot, Settings(database, "worker-a"));
            await using var b = await TrainerProcess.StartAsync(dataRoot, Settings(database, "worker-b"));

            // Six runs queued through A; either worker may take each, and each is trained exactly once.
            var queued = new List<Run>();
            for (int i = 0; i < 6; i++) queued.Add(await TrainerFactory.StartRunAsync(a.Client, Run($"shared {i}", epochs: 3)));
            foreach (var run in queued)
            {
                var done = await TrainerFactory.WaitForStatus(b.Client, run.Id, RunStatus.Completed, RunStatus.Failed);
                Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
                Assert.Equal(0, done.HistoryRevision);
                Assert.Contains(done.Worker, new[] { "worker-a", "worker-b" });
                int started = Regex.Matches(a.Log + b.Log, $"Training run {run.Id} ").Count;
                Assert.True(started == 1, $"run {run.Id} started {started} times");
            }

            // A long run on A; A is killed; B interrupts it once A's lease runs out and resumes it from its checkpoint.
            var queueFor = await TrainerFactory.StartRunAsync(a.Client, Run("failover", epochs: 40, trainImages: 512));
            Run running;
            var deadline = DateTime.UtcNow + TrainerFactory.RunTimeout;
            while (true)
            {
                running = (await a.Client.GetFromJsonAsync<Run>($"/api/runs/{queueFor.Id}", TrainerFactory.Json))!;
                if (running.Status == RunStatus.Running && running.EpochsCompleted >= 2) break;
                Assert.True(DateTime.UtcNow < deadline, $"the run did not get going ({running.Status}, {running.EpochsCompleted} epochs)");
                await Task.Delay(50);
            }
            var killed = running.Worker == "worker-a" ? a : b;
            var survivor = killed == a ? b : a;
            await killed.KillAsync();

            var finished = await TrainerFactory.WaitForStatus(survivor.Client, running.Id, RunStatus.Completed, RunStatus.Failed);
            Assert.True(finished.Status == RunStatus.Completed, finished.FailureReason);
            Assert.Equal(survivor == a ? "worker-a" : "worker-b", finished.Worker);
            Assert.Contains($"Run {running.Id} interrupted: worker {running.Worker} let its lease run out", survivor.Log);
            var points = (await survivor.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{running.Id}/metrics", TrainerFactory.Json))!.Points;
            var steps = points.Where(p => p.Kind == MetricKinds.Step).Select(p => p.GlobalStep!.Value).ToList();
            Assert.Equal(Enumerable.Range(1, 40 * 16).Select(s => (long)s), steps);   // every step once, in order
            Assert.Equal(Enumerable.Range(0, 40), points.Where(p => p.Kind == MetricKinds.Epoch).Select(p => p.Epoch));
        }
        finally
        {
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    [Fact]
    public async Task AResumeFromAStaleReadLeavesARunAnotherTrainerHasClaimed()
    {
        var database = postgres.NewDatabase();
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-resume-race-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A run whose trainer died: interrupted, waiting for someone to resume it.
            var store = new RunStore(new PostgresRunDatabase(database));
            var config = new TrainingConfig { Dataset = DatasetNames.Synthetic, SyntheticTrainSize = 96, SyntheticTestSize = 32, ImageSize = 16, Model = ModelNames.TinyCnn, Epochs = 1 };
            store.Runs.Insert(new Run { Id = "contested", Name = "contested", Config = config, CreatedAt = DateTimeOffset.UtcNow });
            var long_ago = DateTimeOffset.UtcNow.AddHours(-1);
            Assert.NotNull(store.Queue.Claim("worker-gone", _ => true, long_ago, long_ago.AddSeconds(30)));
            Assert.Single(store.Queue.InterruptExpiredLeases(DateTimeOffset.UtcNow, "its trainer is gone"));

            // Trainer A is about to resume and claim it: the test holds the run's row for it.
            await using var a = new NpgsqlConnection(database);
            await a.OpenAsync();
            await using var claim = await a.BeginTransactionAsync();
            await Execute(a, claim, "SELECT id FROM runs WHERE id = 'contested' FOR UPDATE");

            // Trainer B starts and resumes interrupted runs: it reads the run as interrupted and waits for the row.
            await using var b = await TrainerProcess.StartAsync(dataRoot, Settings(database, "worker-b"), waitUntilHealthy: false);
            await WaitForALockWaiter(database);

            // A resumes and claims it meanwhile; then B's resume goes on, from what it read before.
            await Execute(a, claim, $"UPDATE runs SET status = 'Running', lease_owner = 'worker-a', lease_expires = '{DateTimeOffset.UtcNow.AddMinutes(10).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}' WHERE id = 'contested'");
            await claim.CommitAsync();
            await b.WaitUntilHealthyAsync();

            // B must not queue again (and then train) a run A holds: one conditional move, not a read and a write.
            var run = store.Runs.Get("contested")!;
            Assert.True((run.Status, run.Worker) == (RunStatus.Running, "worker-a"), $"the run is {run.Status} on {run.Worker}:\n{b.Log}");
        }
        finally
        {
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until another session of the database waits for a lock (what B's resume does on the held row).</summary>
    private static async Task WaitForALockWaiter(string database)
    {
        await using var watcher = new NpgsqlConnection(database);
        await watcher.OpenAsync();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
            if (Convert.ToInt64(await command.ExecuteScalarAsync()) > 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No session waited for the held row within a minute.");
            await Task.Delay(50);
        }
    }
}
