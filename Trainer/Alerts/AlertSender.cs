using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Alerts;

/// <summary>
/// Posts alerts to the configured webhooks from a bounded queue on its own task: <see cref="Send"/> never waits (the oldest
/// waiting alert is dropped when the queue is full), and each post is tried again with doubling pauses when the webhook does not
/// answer, times out, or answers 408, 429 or 5xx, at most <see cref="AlertOptions.RetryAttempts"/> times. What cannot be delivered
/// is logged, never thrown.
/// </summary>
public sealed class AlertSender : BackgroundService
{
    private readonly AlertOptions _options;
    private readonly IReadOnlyList<Uri> _webhooks;
    private readonly Channel<Alert> _queue;
    private readonly HttpClient _http;
    private readonly ILogger<AlertSender> _logger;
    private long _dropped;

    public AlertSender(IOptions<AlertOptions> options, ILogger<AlertSender> logger)
    {
        _options = options.Value;
        _webhooks = _options.Urls;
        _logger = logger;
        // A client of its own: the service defaults' resilience handler would retry under these retries.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(_options.QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                long count = Interlocked.Increment(ref _dropped);
                _logger.LogWarning("Alert queue full: dropped '{Text}' ({Count} dropped so far)", dropped.Text, count);
            });
    }

    /// <summary>Whether any webhook is configured.</summary>
    public bool Enabled => _webhooks.Count > 0;

    /// <summary>Queues <paramref name="alert"/> for every webhook; returns at once.</summary>
    public void Send(Alert alert)
    {
        if (Enabled) _queue.Writer.TryWrite(alert);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        _logger.LogInformation("Alerts go to {Count} webhook(s): {Hosts}", _webhooks.Count, string.Join(", ", _webhooks.Select(w => w.Host)));
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken))
                foreach (var webhook in _webhooks)
                    await DeliverAsync(webhook, alert, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task DeliverAsync(Uri webhook, Alert alert, CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(_options.RetryDelaySeconds);
        for (int attempt = 0; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            try
            {
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attemptTimeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
                using var response = await _http.PostAsJsonAsync(webhook, alert, AlertJson.Options.TypeInfo<Alert>(), attemptTimeout.Token);
                if (response.IsSuccessStatusCode) return;
                problem = $"HTTP {(int)response.StatusCode}";
                if (!Transient(response.StatusCode))
                {
                    _logger.LogError("Alert '{Event}' refused by {Host}: {Problem}; not tried again", alert.Event, webhook.Host, problem);
                    return;
                }
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                problem = $"no answer in {_options.TimeoutSeconds:G} s";
            }
            catch (HttpRequestException ex)
            {
                problem = ex.Message;
            }
            if (attempt >= _options.RetryAttempts)
            {
                _logger.LogError("Alert '{Event}' not delivered to {Host} after {Tries} tries: {Problem}", alert.Event, webhook.Host, attempt + 1, problem);
                return;
            }
            var wait = retryAfter is { } asked && asked > pause ? TimeSpan.FromSeconds(Math.Min(60, asked.TotalSeconds)) : pause;
            _logger.LogWarning("Alert '{Event}' to {Host} failed ({Problem}); trying again in {Seconds:G3} s", alert.Event, webhook.Host, problem, wait.TotalSeconds);
            await Task.Delay(wait, stoppingToken);
            pause *= 2;
        }
    }

    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
