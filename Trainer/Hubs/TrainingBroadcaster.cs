using System.Threading.Channels;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Hubs;

/// <summary>
/// Sends hub messages from one background loop so training never waits on clients. Metric points
/// are coalesced per run and sent at most <see cref="TrainerOptions.MaxMetricMessagesPerSecond"/>
/// times a second; lifecycle changes go out at once, after any metrics queued before them.
/// </summary>
public sealed class TrainingBroadcaster : BackgroundService
{
    private readonly IHubContext<TrainingHub> _hub;
    private readonly ILogger<TrainingBroadcaster> _logger;
    private readonly TimeSpan _interval;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public TrainingBroadcaster(IHubContext<TrainingHub> hub, IOptions<TrainerOptions> options, ILogger<TrainingBroadcaster> logger)
    {
        _hub = hub;
        _logger = logger;
        _interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, options.Value.MaxMetricMessagesPerSecond));
    }

    public void Publish(RunChanged change) => _queue.Writer.TryWrite(change);

    public void Publish(string runId, IReadOnlyList<MetricPoint> points)
    {
        if (points.Count > 0) _queue.Writer.TryWrite(new MetricBatch(runId, points));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new Dictionary<string, List<MetricPoint>>();
        var lastSent = new Dictionary<string, DateTime>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (pending.Count == 0)
                {
                    if (!await _queue.Reader.WaitToReadAsync(stoppingToken)) break;
                }
                else
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    wait.CancelAfter(_interval);
                    try { await _queue.Reader.WaitToReadAsync(wait.Token); }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                }

                while (_queue.Reader.TryRead(out var item))
                {
                    if (item is MetricBatch batch)
                    {
                        if (!pending.TryGetValue(batch.RunId, out var list)) pending[batch.RunId] = list = [];
                        list.AddRange(batch.Points);
                    }
                    else if (item is RunChanged change)
                    {
                        await SendMetrics(change.Run.Id, pending, lastSent, force: true);
                        await Send(change.Run.Id, TrainingHubContract.RunChanged, change);
                    }
                }
                foreach (var runId in pending.Keys.ToList()) await SendMetrics(runId, pending, lastSent, force: false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task SendMetrics(string runId, Dictionary<string, List<MetricPoint>> pending, Dictionary<string, DateTime> lastSent, bool force)
    {
        if (!pending.TryGetValue(runId, out var points) || points.Count == 0) return;
        var now = DateTime.UtcNow;
        if (!force && lastSent.TryGetValue(runId, out var last) && now - last < _interval) return;
        pending.Remove(runId);
        lastSent[runId] = now;
        await Send(runId, TrainingHubContract.Metrics, new MetricBatch(runId, points));
    }

    private async Task Send(string runId, string method, object message)
    {
        try
        {
            await _hub.Clients.Groups(TrainingHub.AllRunsGroup, TrainingHub.RunGroup(runId)).SendAsync(method, message);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not send {Method} for run {RunId}", method, runId);
        }
    }
}
