using System.Net;
using AspireSimClr.Dashboard.Services;
using AspireSimClr.Dashboard.Services.Live;

namespace AspireSimClr.Dashboard.Tests;

/// <summary>
/// The dashboard's live views against a scripted trainer (HTTP) and hub: history and stream joined by sequence number,
/// gaps filled over REST, catch-up after a reconnect while the trainer still refuses, and nothing after disposal.
/// </summary>
public class LiveViewTests
{
    private readonly StubTrainer _trainer = new();
    private readonly FakeHub _hub = new();
    private readonly List<Task> _dispatched = [];
    private readonly List<LiveView> _views = [];
    private int _renders;

    private LiveTrainer Live => new(_hub, _trainer.Client());

    /// <summary>The page's InvokeAsync with an idle renderer: runs the work now, on the calling thread, and keeps its task to await.</summary>
    private Task Dispatch(Func<Task> work)
    {
        var task = work();
        lock (_dispatched) _dispatched.Add(task);
        return task;
    }

    private void Render() => Interlocked.Increment(ref _renders);

    private T Track<T>(T view) where T : LiveView
    {
        _views.Add(view);
        return view;
    }

    /// <summary>Until every change pushed so far has reached its view's dispatcher and all that work (and any it started) is done.</summary>
    private async Task Settled()
    {
        while (true)
        {
            var delivered = _views.Select(v => v.Delivered).ToList();
            await Task.WhenAll(delivered);
            List<Task> dispatched;
            lock (_dispatched) dispatched = _dispatched.ToList();
            await Task.WhenAll(dispatched);
            lock (_dispatched)
                if (_dispatched.Count == dispatched.Count && _views.Select(v => v.Delivered).SequenceEqual(delivered)) return;
        }
    }

    private static MetricPoint Step(long sequence) => new() { Sequence = sequence, Kind = MetricKinds.Step, Epoch = 0, Step = (int)sequence, GlobalStep = sequence, Loss = 5 - sequence * 0.1, Time = DateTimeOffset.UtcNow };

    private void Serve(Run run, Func<long, IReadOnlyList<MetricPoint>> history) => _trainer.Respond = (request, _) =>
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path == $"/api/runs/{run.Id}") return StubTrainer.Json(HttpStatusCode.OK, run);
        if (path == $"/api/runs/{run.Id}/metrics")
        {
            long since = long.Parse(System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["since"] ?? "0");
            var points = history(since).Where(p => p.Sequence > since).ToList();
            return StubTrainer.Json(HttpStatusCode.OK, new MetricsResponse(run.Id, points.Count > 0 ? points[^1].Sequence : since, points));
        }
        return StubTrainer.Json(HttpStatusCode.OK, new[] { run });
    };

    [Fact]
    public async Task ARunsHistoryAndStreamJoinBySequenceAndAGapIsReadOverRest()
    {
        var run = StubTrainer.SampleRun("r1", "first", RunStatus.Running);
        var recorded = Enumerable.Range(1, 3).Select(i => Step(i)).ToList();
        Serve(run, _ => recorded);
        using var view = Track(Live.Run("r1", Dispatch, Render));
        await view.StartAsync(live: true);
        Assert.Equal([1L, 2, 3], view.Metrics.Points.Select(p => p.Sequence));

        _hub.Push(new MetricBatch("r1", [Step(3), Step(4)]));          // 3 again: dropped
        await Settled();
        Assert.Equal([1L, 2, 3, 4], view.Metrics.Points.Select(p => p.Sequence));
        Assert.Equal(Step(4).Loss, view.Run!.LastLoss);

        recorded.AddRange([Step(4), Step(5), Step(6)]);
        _hub.Push(new MetricBatch("r1", [Step(7)]));                     // 5 and 6 missed: read over REST
        await Settled();
        Assert.Contains(_trainer.Requests, r => r.Path == "/api/runs/r1/metrics?since=4");
        Assert.Equal([1L, 2, 3, 4, 5, 6], view.Metrics.Points.Select(p => p.Sequence));
        Assert.True(_renders >= 2);

        _hub.Push(new MetricBatch("other", [Step(8)]));                   // another run's points are not this view's
        _hub.Push(new RunChanged("completed", run with { Status = RunStatus.Completed }));
        await Settled();
        Assert.Equal(RunStatus.Completed, view.Run!.Status);
        Assert.Single(view.Changes);
    }

    [Fact]
    public async Task AfterAReconnectTheViewReadsAgainUntilTheTrainerAnswers()
    {
        var run = StubTrainer.SampleRun("r1", "first", RunStatus.Running);
        Serve(run, _ => [Step(1)]);
        using var view = Track(Live.Run("r1", Dispatch, Render));
        await view.StartAsync(live: true);

        // Down: the read fails and says so.
        _trainer.Respond = (_, _) => throw new HttpRequestException("connection refused");
        await view.ReadAsync();
        Assert.Equal("connection refused", view.Error);

        // Back, but the API refuses for a moment after the hub reconnects (starting, or the client's breaker still open).
        int refusals = 1;
        Serve(run, _ => [Step(1), Step(2), Step(3)]);
        var serve = _trainer.Respond;
        _trainer.Respond = (request, body) => refusals-- > 0 ? throw new HttpRequestException("breaker open") : serve(request, body);
        _hub.Reconnect();
        await Settled();
        Assert.Null(view.Error);
        Assert.Equal([1L, 2, 3], view.Metrics.Points.Select(p => p.Sequence));
    }

    [Fact]
    public async Task AReadThatFailsIsTriedAgainWithoutWaitingForTheHub()
    {
        var run = StubTrainer.SampleRun("r1", "first", RunStatus.Running);
        Serve(run, _ => [Step(1)]);
        var serve = _trainer.Respond;
        int refusals = 2;   // the client's circuit breaker is open for a moment: no hub event will come to retry
        _trainer.Respond = (request, body) => refusals-- > 0 ? throw new HttpRequestException("breaker open") : serve(request, body);
        using var view = Track(Live.Run("r1", Dispatch, Render));
        await view.StartAsync(live: true);
        Assert.Equal("breaker open", view.Error);
        Assert.Null(view.Run);

        await Settled();
        Assert.Null(view.Error);
        Assert.Equal("first", view.Run!.Name);
        Assert.Equal([1L], view.Metrics.Points.Select(p => p.Sequence));
    }

    [Fact(Timeout = 10_000)]
    public async Task APageWhoseRenderHangsDoesNotHoldUpAnotherPagesUpdates()
    {
        var run = StubTrainer.SampleRun("r1", "first", RunStatus.Running);
        Serve(run, _ => [Step(1)]);
        using var released = new ManualResetEventSlim();
        using var hung = Live.Run("r1", Dispatch, () => released.Wait());   // a render stuck on the thread that runs it
        await hung.StartAsync(live: true);
        using var other = Live.Run("r1", Dispatch, Render);
        await other.StartAsync(live: true);
        try
        {
            // The hub raises its events on its one receive loop: that call must return although the first page never will.
            await Task.Run(() => _hub.Push(new RunChanged("completed", run with { Status = RunStatus.Completed })));
            await other.Delivered;
            Assert.Equal(RunStatus.Completed, other.Run!.Status);
        }
        finally
        {
            released.Set();
        }
    }

    [Fact]
    public async Task TheRunListFollowsChangesAndADisposedViewNothing()
    {
        var first = StubTrainer.SampleRun("r1", "first", RunStatus.Running);
        _trainer.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.OK, new[] { first });
        var view = Track(Live.Runs(Dispatch, Render));
        await view.StartAsync(live: true);
        Assert.Equal(3, _hub.Subscribers);

        var second = StubTrainer.SampleRun("r2", "second", RunStatus.Completed);
        _hub.Push(new RunChanged("created", second));
        _hub.Push(new MetricBatch("r1", [Step(9)]));
        await Settled();
        Assert.Equal(["r2", "r1"], view.Runs.Select(r => r.Id));
        Assert.Equal(Step(9).Loss, view.Runs[1].LastLoss);
        _hub.Push(new RunChanged("deleted", second));
        await Settled();
        Assert.Equal(["r1"], view.Runs.Select(r => r.Id));

        view.Dispose();
        Assert.Equal(0, _hub.Subscribers);
        int renders = _renders;
        _hub.Push(new RunChanged("created", second));
        await Settled();
        Assert.Equal(renders, _renders);
        Assert.Equal(["r1"], view.Runs.Select(r => r.Id));
    }

    [Fact]
    public async Task WhilePrerenderingAViewReadsOnceAndFollowsNothing()
    {
        _trainer.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.OK, Array.Empty<Run>());
        using var view = Track(Live.Runs(Dispatch, Render));
        await view.StartAsync(live: false);
        Assert.Equal(0, _hub.Subscribers);
        Assert.Single(_trainer.Requests);
    }

    [Fact]
    public async Task ASweepIsReadAgainWhenItsEarlyStoppingDecidesAndOtherChangesReplaceItsRun()
    {
        var run = StubTrainer.SampleRun("r1", "a", RunStatus.Running) with { SweepId = "s1" };
        var sweep = new Sweep("s1", "s", SweepKinds.Grid, [], DateTimeOffset.UtcNow, ["r1"], new EarlyStopping(EarlyStoppingMetrics.Knn, [2], 3));
        var decisions = new List<RungDecision>();
        _trainer.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.OK, new SweepDetail(sweep, [run], decisions.ToList()));
        using var view = Track(Live.Sweep("s1", Dispatch, Render));
        await view.StartAsync(live: true);
        Assert.Empty(view.Detail!.Decisions!);

        decisions.Add(new RungDecision("r1", 2, 0.4, 1, 1, 1, true, false, DateTimeOffset.UtcNow));
        _hub.Push(new RunChanged("rung", run));
        await Settled();
        Assert.Equal(2, Assert.Single(view.Detail!.Decisions!).Rung);
        Assert.Equal(2, _trainer.Requests.Count);

        _hub.Push(new RunChanged("updated", run with { Name = "renamed" }));   // replaced in place, no read
        _hub.Push(new RunChanged("rung", run with { SweepId = "other" }));     // another sweep's
        await Settled();
        Assert.Equal("renamed", view.Detail!.Runs.Single().Name);
        Assert.Equal(2, _trainer.Requests.Count);
    }
}
