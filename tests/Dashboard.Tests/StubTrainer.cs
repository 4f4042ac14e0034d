using System.Net;
using System.Text;
using System.Text.Json;
using AspireSimClr.Dashboard.Services;

namespace AspireSimClr.Dashboard.Tests;

/// <summary>Answers the dashboard's HTTP calls for component tests: requests are recorded, responses scripted.</summary>
public sealed class StubTrainer : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string Path, string? Body)> _requests = [];

    /// <summary>The requests answered so far, in order; a copy, since components send from pool threads while tests read.</summary>
    public IReadOnlyList<(HttpMethod Method, string Path, string? Body)> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }
    public Func<HttpRequestMessage, string?, HttpResponseMessage> Respond { get; set; } = (_, _) => Json(HttpStatusCode.OK, Array.Empty<Run>());

    public TrainerApiClient Client() => new(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://trainer") }, new Clients(this));

    /// <summary>Every named client (downloads) also answered by the stub.</summary>
    private sealed class Clients(StubTrainer stub) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(stub, disposeHandler: false) { BaseAddress = new Uri("http://trainer") };
    }

    public static HttpResponseMessage Json(HttpStatusCode status, object body, string mediaType = "application/json") => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, TrainerApiClient.Json), Encoding.UTF8, mediaType),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_requests) _requests.Add((request.Method, request.RequestUri!.PathAndQuery, body));
        return Respond(request, body);
    }

    public static Run SampleRun(string id, string name, RunStatus status, TrainingConfig? config = null, IReadOnlyList<string>? tags = null) => new()
    {
        Id = id, Name = name, Status = status, Config = config ?? new TrainingConfig(), CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        StartedAt = status == RunStatus.Queued ? null : DateTimeOffset.UtcNow.AddMinutes(-4), Tags = tags ?? [],
        EpochsCompleted = status == RunStatus.Completed ? 10 : 3, LastLoss = 5.1234, BestKnnTop1 = 0.4321, ImagesPerSecond = 2300,
    };
}
