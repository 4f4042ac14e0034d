using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireSimClr.Engine;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;
using AspireSimClr.Trainer.Sweeps;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>Successive halving in sweeps: the rule, its decisions in the database (once, whichever trainer asks), and a run it stops.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EarlyStoppingTests(PostgresServer postgres) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "simclr-asha-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private RunDatabase Database(string engine, string? connection = null) => engine == "postgres"
        ? new PostgresRunDatabase(connection ?? postgres.NewDatabase())
        : new SqliteRunDatabase(Path.Combine(_folder, "trainer.db"));

    private static Sweep NewSweep(string id, EarlyStopping rules) => new(id, "asha", SweepKinds.Grid, [], DateTimeOffset.UtcNow, [], rules);

    [Theory]
    // others (higher is better), value, η → rank, competitors, kept, continues
    [InlineData(new double[0], 0.1, 3, 1, 1, 1, true)]                    // the first at a rung always goes on
    [InlineData(new[] { 0.5 }, 0.4, 3, 2, 2, 1, false)]                   // 2 runs, η 3: only the best goes on
    [InlineData(new[] { 0.5 }, 0.5, 3, 1, 2, 1, true)]                    // a tie shares the better rank
    [InlineData(new[] { 0.5, 0.3, 0.2, 0.1, 0.6 }, 0.4, 3, 3, 6, 2, false)] // 6 runs, η 3: the best 2 go on, 0.4 is 3rd
    [InlineData(new[] { 0.5, 0.3, 0.2, 0.1, 0.6 }, 0.55, 3, 2, 6, 2, true)]
    [InlineData(new[] { 0.5, 0.3, 0.2 }, 0.4, 2, 2, 4, 2, true)]          // η 2: half go on
    public void ARunGoesOnOnlyAmongTheBestOneInEtaAtItsRung(double[] others, double value, int eta, int rank, int competitors, int kept, bool continues)
    {
        var standing = SuccessiveHalving.Rank(others.Select(o => (double?)o).ToList(), value, higherIsBetter: true, eta);
        Assert.Equal((rank, competitors, kept, continues), (standing.Rank, standing.Competitors, standing.Kept, standing.Continues));
        // Lower is better: the same order, mirrored.
        var mirrored = SuccessiveHalving.Rank(others.Select(o => (double?)-o).ToList(), -value, higherIsBetter: false, eta);
        Assert.Equal(standing, mirrored);
    }

    [Fact]
    public void AStoppedEarlyRunCanBeResumedOrDeletedButNotCancelled()
    {
        Assert.True(RunLifecycle.CanMove(RunStatus.Running, RunStatus.StoppedEarly));
        Assert.False(RunLifecycle.CanMove(RunStatus.Queued, RunStatus.StoppedEarly));
        Assert.True(RunLifecycle.CanResume(RunStatus.StoppedEarly));
        Assert.False(RunLifecycle.CanCancel(RunStatus.StoppedEarly));
        Assert.True(RunLifecycle.CanDelete(RunStatus.StoppedEarly));
        Assert.Equal("stopped-early", RunLifecycle.EventName(RunStatus.StoppedEarly));
        Assert.Contains("stopped early", RunLifecycle.Refusal("r", RunStatus.Completed, "resume"));
    }

    [Fact]
    public void ANonFiniteValueRanksLastAndNeverGoesOn()
    {
        Assert.False(SuccessiveHalving.Rank([], null, true, 3).Continues);
        var standing = SuccessiveHalving.Rank([null, 0.1], 0.05, true, 2);
        Assert.Equal((2, 3, 1, false), (standing.Rank, standing.Competitors, standing.Kept, standing.Continues));
        Assert.Equal(1, SuccessiveHalving.Rank([null], 0.05, true, 2).Rank);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void ADecisionIsTakenOnceAndAUsersResumeOverridesAStop(string engine)
    {
        var store = new RunStore(Database(engine));
        store.Sweeps.Insert(NewSweep("s1", new EarlyStopping(EarlyStoppingMetrics.Knn, [2], 2)));
        var now = DateTimeOffset.UtcNow;
        Assert.True(store.SweepRungs.Decide("s1", "a", 2, 0.5, true, 2, now).Continues);
        var stopped = store.SweepRungs.Decide("s1", "b", 2, 0.4, true, 2, now.AddSeconds(1));
        Assert.Equal((2, 2, 1, false), (stopped.Rank, stopped.Competitors, stopped.Kept, stopped.Continues));
        // Met again (a resume after a crash re-evaluates the rung): the decision stands, whatever the value now.
        Assert.Equal(stopped, store.SweepRungs.Decide("s1", "b", 2, 0.9, true, 2, now.AddSeconds(2)));
        // NaN is stored as no value and ranks last.
        var nan = store.SweepRungs.Decide("s1", "c", 2, double.NaN, true, 2, now.AddSeconds(3));
        Assert.Equal((null, 3, false), (nan.Value, nan.Rank, nan.Continues));

        Assert.Equal(1, store.SweepRungs.Override("b"));
        var listed = store.SweepRungs.List("s1");
        Assert.Equal(["a", "b", "c"], listed.Select(d => d.RunId));
        Assert.True(listed[1].Overridden && !listed[1].Continues);
        Assert.True(store.SweepRungs.Decide("s1", "b", 2, 0.4, true, 2, now).Overridden);
        Assert.Throws<InvalidOperationException>(() => store.SweepRungs.Decide("nope", "a", 2, 0.5, true, 2, now));
        Assert.Equal(EarlyStoppingMetrics.Knn, store.Sweeps.List("s1").Single().EarlyStopping!.Metric);
    }

    [Fact]
    public async Task TrainersDecidingAtOnceEachSeeEveryValueStoredBeforeTheirs()
    {
        // Two trainers' stores on one PostgreSQL database, sixteen runs reaching the same rung together.
        string connection = postgres.NewDatabase();
        var stores = new[] { new RunStore(Database("postgres", connection)), new RunStore(Database("postgres", connection)) };
        stores[0].Sweeps.Insert(NewSweep("s1", new EarlyStopping(EarlyStoppingMetrics.Knn, [1], 3)));
        using var start = new ManualResetEventSlim();
        var deciders = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait();
            return stores[i % 2].SweepRungs.Decide("s1", $"r{i}", 1, 0.01 * i, true, 3, DateTimeOffset.UtcNow);
        })).ToList();
        start.Set();
        var decisions = await Task.WhenAll(deciders);

        // Taken in turn, the decisions saw 1, 2, …, 16 competitors; deciders that read together would have counted the same.
        Assert.Equal(Enumerable.Range(1, 16), decisions.Select(d => d.Competitors).Order());
        Assert.Equal(16, stores[1].SweepRungs.List("s1").Count);
    }

    [Fact]
    public void TheStopperStopsACollapseAtOnceAndAWeakRunAtARungOnly()
    {
        var store = new RunStore(Database("sqlite"));
        store.Sweeps.Insert(NewSweep("s1", new EarlyStopping(EarlyStoppingMetrics.Knn, [2, 4], 2)));
        store.Runs.Insert(new Run { Id = "a", Name = "a", Config = new TrainingConfig { Epochs = 6 }, SweepId = "s1" });
        store.Runs.Insert(new Run { Id = "b", Name = "b", Config = new TrainingConfig { Epochs = 6 }, SweepId = "s1" });
        var time = TimeProvider.System;
        var a = EarlyStopper.For(store.Runs.Get("a")!, store, time)!;
        var b = EarlyStopper.For(store.Runs.Get("b")!, store, time)!;

        Assert.Null(a.Observe(new EvaluationCompleted(0, "knn", 0.3, 100, 10, TimeSpan.Zero)));     // epoch 1: not a rung
        Assert.Null(a.Observe(new EvaluationCompleted(1, "linear", 0.3, 100, 10, TimeSpan.Zero)));  // not the metric
        Assert.Null(a.Observe(new HealthWarning(1, 10, "knn-plateau", "flat")));                   // a plateau is no reason to stop
        var first = a.Observe(new EvaluationCompleted(1, "knn", 0.3, 100, 10, TimeSpan.Zero))!;      // epoch 2
        Assert.Equal((2, true, (string?)null), (first.Decision!.Rung, first.Decision.Continues, first.StopReason));
        var second = b.Observe(new EvaluationCompleted(1, "knn", 0.2, 100, 10, TimeSpan.Zero))!;
        Assert.False(second.Decision!.Continues);
        Assert.Contains("ranked 2 of the 2 runs", second.StopReason);

        var collapse = a.Observe(new HealthWarning(2, 30, "collapse", "The embeddings are collapsing."))!;
        Assert.Null(collapse.Decision);
        Assert.StartsWith("Stopped early at epoch 3: its health rules raised collapse.", collapse.StopReason);
        Assert.NotNull(b.Observe(new HealthWarning(2, 30, "nan-risk", "The gradient norm is NaN.")));

        store.Runs.Insert(new Run { Id = "solo", Name = "solo", Config = new TrainingConfig { Epochs = 6 } });
        Assert.Null(EarlyStopper.For(store.Runs.Get("solo")!, store, time));                        // not in a sweep
    }

    private static JsonObject Settings(int epochs, string name = "asha")
    {
        var settings = JsonSerializer.SerializeToNode(TrainerFactory.QuickRun(epochs, name))!.AsObject();
        settings["linearProbe"] = false;
        return settings;
    }

    [Fact]
    public async Task AWeakRunStopsAtItsRungAsStoppedEarlyAndAResumeTrainsItToTheEnd()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var store = factory.Services.GetRequiredService<RunStore>();
        // A long run holds the only worker while the sweep is queued and its rivals' results are stored.
        var blocker = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 200, name: "blocker"));
        await TrainerFactory.WaitForStatus(client, blocker.Id, RunStatus.Running);

        var response = await client.PostAsJsonAsync("/api/sweeps", new
        {
            name = "asha", kind = "grid", settings = Settings(epochs: 3),
            axes = new object[] { new { setting = "learningRate", values = new[] { 1e-3 } } },
            earlyStopping = new { metric = "loss", rungs = new[] { 1 }, reductionFactor = 3 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sweep = (await response.Content.ReadFromJsonAsync<SweepDetail>(TrainerFactory.Json))!;
        Assert.Equal(new[] { 1 }, sweep.Sweep.EarlyStopping!.Rungs);
        // Two earlier runs of the sweep reached epoch 1 with a loss no run can beat (NT-Xent is positive).
        store.SweepRungs.Decide(sweep.Sweep.Id, "rival-1", 1, 0.0, higherIsBetter: false, 3, DateTimeOffset.UtcNow);
        store.SweepRungs.Decide(sweep.Sweep.Id, "rival-2", 1, 0.0, higherIsBetter: false, 3, DateTimeOffset.UtcNow);
        await client.PostAsync($"/api/runs/{blocker.Id}/cancel", null);

        var run = sweep.Runs.Single();
        var stopped = await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.StoppedEarly, RunStatus.Completed, RunStatus.Failed);
        Assert.Equal(RunStatus.StoppedEarly, stopped.Status);
        Assert.Equal(1, stopped.EpochsCompleted);
        Assert.True(stopped.HasCheckpoint);
        Assert.Contains("ranked 3 of the 3 runs", stopped.FailureReason);
        var detail = (await client.GetFromJsonAsync<SweepDetail>($"/api/sweeps/{sweep.Sweep.Id}", TrainerFactory.Json))!;
        var decision = Assert.Single(detail.Decisions!);   // only the sweep's own runs
        Assert.Equal((run.Id, 1, 3, 1, false), (decision.RunId, decision.Rung, decision.Rank, decision.Kept, decision.Continues));
        Assert.Equal(2, SweepBudget.SavedEpochs(detail.Runs));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);

        // The user disagrees: resumed, it trains on from its checkpoint to the end.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{run.Id}/resume", null)).StatusCode);
        var finished = await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed, RunStatus.StoppedEarly, RunStatus.Failed);
        Assert.Equal((RunStatus.Completed, 3, (string?)null), (finished.Status, finished.EpochsCompleted, finished.FailureReason));
        Assert.True(Assert.Single(store.SweepRungs.List(sweep.Sweep.Id), d => d.RunId == run.Id).Overridden);
    }

    [Theory]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"rungs":[2,1]}}""", "earlyStopping.rungs")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"metric":"loss"}}""", "earlyStopping.rungs")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"rungs":[2],"reductionFactor":1}}""", "earlyStopping.reductionFactor")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"rungs":[2],"metric":"accuracy"}}""", "earlyStopping.metric")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"rungs":[2],"patience":3}}""", "earlyStopping.patience")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":[2]}""", "earlyStopping")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":4},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"rungs":[4]}}""", "earlyStopping.rungs")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":6,"knnEveryEpochs":2},"axes":[{"setting":"temperature","values":[0.5]}],"earlyStopping":{"rungs":[3]}}""", "earlyStopping.rungs")]
    [InlineData("""{"kind":"grid","settings":{"dataset":"synthetic","epochs":6},"axes":[{"setting":"epochs","values":[6,2]}],"earlyStopping":{"rungs":[3]}}""", "earlyStopping.rungs")]
    [InlineData("""{"kind":"seeds","seeds":3,"settings":{"dataset":"synthetic","epochs":6},"earlyStopping":{"rungs":[3]}}""", "earlyStopping")]
    public Task BadEarlyStoppingIsRefusedByFieldAndQueuesNothing(string body, string field) => SweepsApiTests.AssertRefusedByFieldAsync(body, field);
}
