using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>The run store's behaviour, the same on the embedded SQLite file and on a shared PostgreSQL database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RunStoreOnBothDatabasesTests(PostgresServer postgres) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "simclr-store-" + Guid.NewGuid().ToString("N"));

    private RunDatabase Database(string engine) => engine == "postgres"
        ? new PostgresRunDatabase(postgres.NewDatabase())
        : new SqliteRunDatabase(Path.Combine(_folder, "trainer.db"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static Run NewRun(string id, long seed = 1) => new()
    {
        Id = id, Name = $"run {id}", Config = new TrainingConfig { Seed = seed, Epochs = 3 }, CreatedAt = DateTimeOffset.UtcNow, Tags = ["a", "b"], SweepId = "s1",
    };

    private static MetricPoint Step(long seq, int epoch, long globalStep) => new()
    {
        Sequence = seq, Kind = MetricKinds.Step, Epoch = epoch, Step = (int)globalStep % 10, GlobalStep = globalStep, Loss = 5.0 - seq * 0.01, LearningRate = 0.1, Time = DateTimeOffset.UtcNow,
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void RunsAreStoredChangedListedAndDeleted(string engine)
    {
        var store = new RunStore(Database(engine));
        store.Runs.Insert(NewRun("r1"));
        store.Runs.Insert(NewRun("r2", seed: 2) with { ForkedFrom = "r1", ForkedAtEpoch = 2, ResumeRequested = true, HasCheckpoint = true });

        var forked = store.Runs.Get("r2")!;
        Assert.Equal(("r1", 2, true, true, 2L), (forked.ForkedFrom, forked.ForkedAtEpoch, forked.ResumeRequested, forked.HasCheckpoint, forked.Config.Seed));
        Assert.Equal(2, forked.QueuePosition);
        var warning = new RunWarning("collapse", "std fell", 1, 40, DateTimeOffset.UtcNow);
        var claimed = store.Queue.Claim("worker-1", _ => true, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1))!;
        Assert.Equal(("r1", RunStatus.Running, "worker-1"), (claimed.Id, claimed.Status, claimed.Worker));
        // An edit writes what it may (progress, summary) and never the status: that changes by moves alone.
        store.Runs.Edit("r1", r => r with { Status = RunStatus.Failed, EpochsCompleted = 3, BestKnnTop1 = 0.42, Warnings = [warning],
            Runtime = new RunRuntime("cpu", "CPU", "bf16", true, "auto") });
        Assert.Equal(RunStatus.Running, store.Runs.Get("r1")!.Status);
        Assert.False(store.Runs.Move("r1", new RunMove(RunStatus.Completed) { HeldBy = "worker-2" }));      // not its lease
        Assert.True(store.Runs.Move("r1", new RunMove(RunStatus.Completed) { HeldBy = "worker-1", Finished = DateTimeOffset.UtcNow }));
        Assert.False(store.Runs.Move("r1", new RunMove(RunStatus.Cancelled)));                           // completed is final
        Assert.Throws<InvalidOperationException>(() => store.Runs.Move("r1", new RunMove(RunStatus.Queued) { From = [RunStatus.Completed] }));
        var done = store.Runs.Get("r1")!;
        Assert.Equal((RunStatus.Completed, 3, 0.42, "s1"), (done.Status, done.EpochsCompleted, done.BestKnnTop1!.Value, done.SweepId));
        Assert.Equal([warning], done.Warnings);
        Assert.Equal(["r2"], store.Runs.List(RunStatus.Queued).Select(r => r.Id));
        Assert.Equal(2, store.Runs.List(tag: "A").Count);
        Assert.Equal("r2", store.Runs.NextQueued()!.Id);

        store.Sweeps.Insert(new Sweep("s1", "grid", SweepKinds.Grid, [new SweepAxis("learningRate", ["0.1", "0.3"])], DateTimeOffset.UtcNow, []));
        var sweep = Assert.Single(store.Sweeps.List());
        Assert.Equal(["r1", "r2"], sweep.RunIds);
        Assert.Equal("learningRate", sweep.Axes[0].Setting);
        Assert.Single(store.Sweeps.List("s1"));
        Assert.Empty(store.Sweeps.List("nope"));

        Assert.True(store.Runs.Delete("r2"));
        Assert.Null(store.Runs.Get("r2"));
        Assert.False(store.Runs.Delete("r2"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void MetricsAreReadAfterACursorSupersededOnResumeAndCopiedToAFork(string engine)
    {
        var store = new RunStore(Database(engine));
        store.Runs.Insert(NewRun("r1"));
        store.Runs.Insert(NewRun("fork"));
        var health = new HealthValues(0.1, 0.0884, 30, 0.9, 0.1, 0.3, -3, 1.5);
        store.History.Append("r1", [Step(1, 0, 1), Step(2, 0, 2),
            new MetricPoint { Sequence = 3, Kind = MetricKinds.Epoch, Epoch = 0, Loss = 4.9, Time = DateTimeOffset.UtcNow },
            new MetricPoint { Sequence = 4, Kind = MetricKinds.Evaluation, Epoch = 0, Evaluation = "knn", Top1 = 0.3, Time = DateTimeOffset.UtcNow },
            new MetricPoint { Sequence = 5, Kind = MetricKinds.Health, Epoch = 0, GlobalStep = 2, Health = health, Time = DateTimeOffset.UtcNow },
            Step(6, 1, 3), Step(7, 1, 4)]);
        Assert.Equal(7, store.History.LastSequence("r1"));
        Assert.Equal([6L, 7], store.History.Read("r1", since: 5).Points.Select(p => p.Sequence));
        Assert.Equal(health, store.History.Read("r1").Points.Single(p => p.Kind == MetricKinds.Health).Health);

        store.History.CopyUpTo("r1", "fork", epoch: 1, globalStep: 2);
        Assert.Equal([1L, 2, 3, 4, 5], store.History.Read("fork").Points.Select(p => p.Sequence));
        Assert.Equal((1, 0.3), (store.Runs.Get("fork")!.EpochsCompleted, store.Runs.Get("fork")!.BestKnnTop1!.Value));

        Assert.Equal(1, store.History.SupersedeAfter("r1", epoch: 1, globalStep: 3));   // the step after global step 3
        var after = store.History.Read("r1");
        Assert.Equal([1L, 2, 3, 4, 5, 6], after.Points.Select(p => p.Sequence));
        Assert.Equal(7, after.LastSequence);
        Assert.Equal(1, store.Runs.Get("r1")!.HistoryRevision);
    }

    [Fact]
    public async Task TrainersSharingOnePostgresDatabaseCreateItsSchemaTogetherAndLoseNoChange()
    {
        var connection = postgres.NewDatabase();
        // Four processes' stores starting at once: the schema is created once, under an advisory lock.
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new RunStore(new PostgresRunDatabase(connection)))));
        stores[0].Runs.Insert(NewRun("shared"));

        // Read-modify-write from every store at once: each change is applied to the row as the last one left it.
        // Meanwhile more trainers start: their schema check must not queue the others' reads behind a table lock (it deadlocked).
        await Task.WhenAll(stores.Select(store => Task.Run(() =>
        {
            for (int i = 0; i < 25; i++) store.Runs.Edit("shared", r => r with { EpochsCompleted = r.EpochsCompleted + 1 });
        })).Append(Task.Run(() =>
        {
            for (int i = 0; i < 10; i++) _ = new RunStore(new PostgresRunDatabase(connection));
        })));
        Assert.Equal(100, stores[3].Runs.Get("shared")!.EpochsCompleted);
    }

    [Fact]
    public async Task TrainersQueueingAtOnceTakeDistinctQueuePositions()
    {
        var connection = postgres.NewDatabase();
        var stores = Enumerable.Range(0, 4).Select(_ => new RunStore(new PostgresRunDatabase(connection))).ToList();
        // Largest-plus-one in concurrent transactions gave two runs the same place; a sequence does not.
        await Task.WhenAll(stores.Select((store, s) => Task.Run(() =>
        {
            for (int i = 0; i < 25; i++) store.Runs.Insert(NewRun($"s{s}-{i}"));
        })));
        var runs = stores[0].Runs.List();
        Assert.Equal(100, runs.Count);
        Assert.Equal(100, runs.Select(r => r.QueueOrder).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 100), runs.Select(r => r.QueuePosition!.Value).Order());
    }
}
