namespace AspireSimClr.Dashboard.Services.Live;

/// <summary>
/// Something a page shows live: read over REST, then kept current from the hub's stream, read again after every
/// reconnect and after any read that failed (with growing pauses while the trainer still refuses, for instance while
/// the client's circuit breaker is open: <see cref="CatchUpAfterReconnect"/>), with a failed read kept as
/// <see cref="Error"/> rather than thrown. Every change runs through the page's dispatcher and ends in one
/// render; disposing the view ends its subscription. Pages only render what it holds.
/// </summary>
public abstract class LiveView : IDisposable
{
    private readonly ITrainingHub _hub;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Action _render;
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private bool _live;
    private bool _retrying;
    private readonly Lock _order = new();
    private Task _delivered = Task.CompletedTask;

    /// <param name="dispatch">The page's InvokeAsync: every change runs on its renderer, never beside a render.</param>
    /// <param name="render">The page's StateHasChanged.</param>
    protected LiveView(ITrainingHub hub, TrainerApiClient api, Func<Func<Task>, Task> dispatch, Action render)
    {
        _hub = hub;
        Api = api;
        _dispatch = dispatch;
        _render = render;
    }

    protected TrainerApiClient Api { get; }

    protected ITrainingHub Hub => _hub;

    /// <summary>Why the last read failed (the trainer unreachable); null after a read that succeeded.</summary>
    public string? Error { get; private set; }

    /// <summary>The first read; with <paramref name="live"/> (an interactive circuit, not prerendering) it then follows the hub.</summary>
    public async Task StartAsync(bool live)
    {
        if (live && !_live)
        {
            _live = true;
            _hub.RunChanged += OnRunChanged;
            _hub.Metrics += OnMetrics;
            _hub.Connected += OnConnected;
        }
        await ReadAsync();
    }

    /// <summary>
    /// Reads what the view holds over REST (one read at a time); false when the trainer did not answer, and then, when the
    /// view is live, it reads again by itself until the trainer answers (or the hub is gone, when the reconnect will).
    /// </summary>
    public async Task<bool> ReadAsync()
    {
        bool answered = await ReadOnceAsync();
        if (!answered && _live && !_retrying && !_closing.IsCancellationRequested) Dispatch(RetryAsync);
        return answered;
    }

    private async Task RetryAsync()
    {
        if (_retrying) return;
        _retrying = true;
        try
        {
            await CatchUpAfterReconnect.RunAsync(async () =>
            {
                bool answered = await ReadOnceAsync();
                if (!_closing.IsCancellationRequested) _render();
                return answered;
            }, _hub, _closing.Token);
        }
        finally
        {
            _retrying = false;
        }
    }

    private async Task<bool> ReadOnceAsync()
    {
        await _reading.WaitAsync();
        try
        {
            await LoadAsync(_closing.Token);
            Error = null;
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !_closing.IsCancellationRequested)
        {
            Error = ex.Message;
            return false;
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            _reading.Release();
        }
    }

    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>A run's lifecycle changed (or it was created, edited or deleted); runs on the page's renderer.</summary>
    protected virtual Task OnAsync(RunChanged change) => Task.CompletedTask;

    /// <summary>A run recorded points; runs on the page's renderer.</summary>
    protected virtual Task OnAsync(MetricBatch batch) => Task.CompletedTask;

    private void OnRunChanged(RunChanged change) => Dispatch(() => OnAsync(change));

    private void OnMetrics(MetricBatch batch) => Dispatch(() => OnAsync(batch));

    private void OnConnected() => Dispatch(RetryAsync);

    /// <summary>Completes once every change so far has been handed to the page's dispatcher.</summary>
    internal Task Delivered
    {
        get { lock (_order) return _delivered; }
    }

    /// <summary>
    /// Hands the work to the page's dispatcher from a pool thread, in arrival order. The hub raises its events on its
    /// one receive loop, shared by every page of every user, and a page's InvokeAsync runs the work inline when its
    /// renderer is idle: a slow (or stuck) render there would hold up every other page's updates.
    /// </summary>
    private void Dispatch(Func<Task> work)
    {
        lock (_order)
        {
            _delivered = _delivered.ContinueWith(_ => _ = _dispatch(async () =>
            {
                if (_closing.IsCancellationRequested) return;
                await work();
                if (!_closing.IsCancellationRequested) _render();
            }), CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default);
        }
    }

    public void Dispose()
    {
        if (_live)
        {
            _hub.RunChanged -= OnRunChanged;
            _hub.Metrics -= OnMetrics;
            _hub.Connected -= OnConnected;
        }
        _closing.Cancel();
        GC.SuppressFinalize(this);
    }
}
