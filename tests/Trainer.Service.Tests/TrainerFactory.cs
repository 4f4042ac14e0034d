using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>The real trainer service in memory, on a data folder of its own (or a given one, to restart on it).</summary>
public sealed class TrainerFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-123";
    public static JsonSerializerOptions Json => ContractJson.Options;

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">Configuration that replaces the test defaults, e.g. Trainer:MutationsPerMinute.</param>
    public TrainerFactory(string? dataRoot = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataRoot = dataRoot ?? Path.Combine(Path.GetTempPath(), "simclr-service-" + Guid.NewGuid().ToString("N"));
        _settings = settings ?? new Dictionary<string, string>();
    }

    public string DataRoot { get; }
    public List<Metric> ExportedMetrics { get; } = [];
    public List<Activity> ExportedActivities { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Trainer:DataRoot", DataRoot);
        builder.UseSetting("Trainer:ApiKey", ApiKey);
        // Tests send hundreds of changes a minute; the limit itself is tested with a low one.
        builder.UseSetting("Trainer:MutationsPerMinute", "100000");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddOpenTelemetry()
            .WithMetrics(m => m.AddInMemoryExporter(ExportedMetrics))
            .WithTracing(t => t.AddInMemoryExporter(ExportedActivities)));
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public HubConnection CreateHubConnection() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server.BaseAddress, "/hubs/training"), o =>
        {
            o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
        })
        .AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions))
        .Build();

    public static object QuickRun(int epochs = 2, string name = "quick") => new
    {
        name, dataset = "synthetic", syntheticTrainSize = 96, syntheticTestSize = 32, imageSize = 16, model = "tiny-cnn",
        projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, epochs, learningRate = 1e-3, knnK = 10, linearProbeEpochs = 5,
        threads = 2, tags = new[] { "test" },
    };

    /// <summary>How long a test waits for a short run to reach a status.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Queues a run through the API and returns it as created; anything but 201 fails the test with the response body.</summary>
    public static async Task<Run> StartRunAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/runs", request);
        if (response.StatusCode != HttpStatusCode.Created)
            Assert.Fail($"POST /api/runs gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Run>(Json))!;
    }

    /// <summary>Polls the run until it reaches one of <paramref name="statuses"/> or <see cref="RunTimeout"/> passes.</summary>
    public static async Task<Run> WaitForStatus(HttpClient client, string id, params RunStatus[] statuses)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (true)
        {
            var run = (await client.GetFromJsonAsync<Run>($"/api/runs/{id}", Json))!;
            if (statuses.Contains(run.Status)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {id} is {run.Status} after {RunTimeout}, expected {string.Join(" or ", statuses)}.");
            await Task.Delay(50);
        }
    }

    public bool DeleteDataRootOnDispose { get; init; } = true;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (DeleteDataRootOnDispose && Directory.Exists(DataRoot)) Directory.Delete(DataRoot, recursive: true);
    }
}
