using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;

namespace AspireSimClr.Dashboard.Services;

public enum HubState { Connecting, Connected, Reconnecting, Disconnected }

/// <summary>The trainer's hub as the dashboard's live views (<see cref="Live.LiveTrainer"/>) use it.</summary>
public interface ITrainingHub
{
    HubState State { get; }
    Uri HubUrl { get; }
    event Action<RunChanged>? RunChanged;
    event Action<MetricBatch>? Metrics;
    event Action<HubState>? StateChanged;
    /// <summary>Raised after each connect and reconnect: what was missed must be read over REST.</summary>
    event Action? Connected;
}

/// <summary>
/// One SignalR connection from the dashboard server to the trainer's hub, subscribed to all runs.
/// Keeps retrying while the trainer is down; after every (re)connect it raises <see cref="Connected"/>
/// so that pages catch up from REST.
/// </summary>
public sealed class TrainingHubClient : BackgroundService, ITrainingHub
{
    private readonly HubConnection _connection;
    private readonly ILogger<TrainingHubClient> _logger;

    public TrainingHubClient(IConfiguration configuration, ILogger<TrainingHubClient> logger)
    {
        _logger = logger;
        // SignalR's client does not use service discovery: the AppHost injects the trainer's address.
        var trainer = configuration["services:trainer:http:0"] ?? configuration["Trainer:Url"] ?? "http://localhost:5190";
        HubUrl = new Uri(new Uri(trainer), TrainingHubContract.Path);
        _connection = new HubConnectionBuilder()
            .WithUrl(HubUrl, o =>
            {
                // A trainer that requires its key for reads requires it for the hub too.
                if (configuration["Trainer:ApiKey"] is { Length: > 0 } key) o.Headers["X-Api-Key"] = key;
            })
            .WithAutomaticReconnect(new ForeverRetry())
            .AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions))
            .Build();
        _connection.On<RunChanged>(TrainingHubContract.RunChanged, change => RunChanged?.Invoke(change));
        _connection.On<MetricBatch>(TrainingHubContract.Metrics, batch => Metrics?.Invoke(batch));
        _connection.Reconnecting += _ => SetState(HubState.Reconnecting);
        _connection.Reconnected += async _ => await OnConnected();
        _connection.Closed += _ => SetState(HubState.Disconnected);
    }

    public Uri HubUrl { get; }
    public HubState State { get; private set; } = HubState.Connecting;

    public event Action<RunChanged>? RunChanged;
    public event Action<MetricBatch>? Metrics;
    public event Action<HubState>? StateChanged;
    /// <summary>Raised after each connect and reconnect: what was missed must be read over REST.</summary>
    public event Action? Connected;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested && _connection.State == HubConnectionState.Disconnected)
        {
            try
            {
                UpdateState(HubState.Connecting);
                await _connection.StartAsync(stoppingToken);
                await OnConnected();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogInformation("Trainer hub at {Url} not reachable yet: {Message}", HubUrl, ex.Message);
                UpdateState(HubState.Disconnected);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(10, delay.TotalSeconds * 2));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _connection.DisposeAsync();
    }

    private async Task OnConnected()
    {
        await _connection.InvokeAsync(TrainingHubContract.SubscribeAll);
        UpdateState(HubState.Connected);
        Connected?.Invoke();
    }

    private Task SetState(HubState state)
    {
        UpdateState(state);
        return Task.CompletedTask;
    }

    private void UpdateState(HubState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }

    private sealed class ForeverRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            TimeSpan.FromSeconds(Math.Min(10, Math.Pow(2, Math.Min(context.PreviousRetryCount, 4)) * 0.5));
    }
}
