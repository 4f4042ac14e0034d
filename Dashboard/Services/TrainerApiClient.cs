using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireSimClr.Dashboard.Services;

/// <summary>The trainer's REST API as the dashboard uses it.</summary>
public sealed class TrainerApiClient(HttpClient http, IHttpClientFactory clients)
{
    /// <summary>The named client for downloads and index builds, which may wait minutes for the trainer's work.</summary>
    public const string DownloadClient = "trainer-downloads";

    public static JsonSerializerOptions Json => ContractJson.Options;

    /// <summary>The outcome of a change: the run, or the API's problem (with field errors for a 400).</summary>
    public sealed record Outcome<T>(T? Value, string? Problem, IReadOnlyDictionary<string, string[]> FieldErrors)
    {
        public bool Succeeded => Problem is null;
    }

    public Uri? BaseAddress => http.BaseAddress;

    public Task<IReadOnlyList<Run>> ListRunsAsync(CancellationToken ct = default) =>
        Reachable<IReadOnlyList<Run>>(async () => await http.GetFromJsonAsync<List<Run>>("/api/runs", Json, ct) ?? [], ct);

    public Task<Run?> GetRunAsync(string id, CancellationToken ct = default) => Reachable(async () =>
    {
        using var response = await http.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Run>(Json, ct);
    }, ct);

    public Task<MetricsResponse> GetMetricsAsync(string id, long since = 0, CancellationToken ct = default) => Reachable(async () =>
        await http.GetFromJsonAsync<MetricsResponse>($"/api/runs/{Uri.EscapeDataString(id)}/metrics?since={since}", Json, ct)
            ?? new MetricsResponse(id, since, []), ct);

    public Task<Outcome<Run>> CreateRunAsync(IReadOnlyDictionary<string, object?> settings, CancellationToken ct = default) =>
        SendAsync<Run>(HttpMethod.Post, "/api/runs", settings, ct);

    /// <summary>What <paramref name="settings"/> (a new run's request body) make of a few training images.</summary>
    public Task<Outcome<AugmentationPreview>> PreviewAugmentationAsync(IReadOnlyDictionary<string, object?> settings, int images, int draw, CancellationToken ct = default) =>
        SendAsync<AugmentationPreview>(HttpMethod.Post, $"/api/previews/augmentation?images={images}&draw={draw}", settings, ct);

    /// <summary>The run's embedding sample and the epochs that have a map; null when the run does not exist.</summary>
    public Task<EmbeddingMapIndex?> GetEmbeddingIndexAsync(string id, CancellationToken ct = default) => Reachable(async () =>
    {
        using var response = await http.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/embeddings", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<EmbeddingMapIndex>(Json, ct);
    }, ct);

    public Task<EmbeddingMap?> GetEmbeddingMapAsync(string id, int epoch, CancellationToken ct = default) => Reachable(async () =>
    {
        using var response = await http.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/embeddings/{epoch}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<EmbeddingMap>(Json, ct);
    }, ct);

    /// <summary>Has the trainer map the run's latest checkpoint now.</summary>
    public Task<Outcome<EmbeddingMap>> MapCheckpointAsync(string id, CancellationToken ct = default) =>
        SendAsync<EmbeddingMap>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(id)}/embeddings", null, ct);

    /// <summary>The run's search index; null when it has none (or the run does not exist).</summary>
    public Task<SearchIndexSummary?> GetSearchIndexAsync(string id, CancellationToken ct = default) => Reachable(async () =>
    {
        using var response = await http.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/index", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<SearchIndexSummary>(Json, ct);
    }, ct);

    /// <summary>Has the trainer embed the run's whole dataset with its latest checkpoint (takes seconds to minutes).</summary>
    public Task<Outcome<SearchIndexSummary>> BuildSearchIndexAsync(string id, CancellationToken ct = default) =>
        SendAsync<SearchIndexSummary>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(id)}/index", null, ct, DownloadClient, reachableFirst: id);

    /// <summary>The k indexed images most similar to indexed image <paramref name="entry"/>.</summary>
    public Task<Outcome<SearchResponse>> SearchAsync(string id, int entry, int k, CancellationToken ct = default) =>
        SendAsync<SearchResponse>(HttpMethod.Get, $"/api/runs/{Uri.EscapeDataString(id)}/search?image={entry}&k={k}", null, ct);

    /// <summary>The k indexed images most similar to an uploaded image (its bytes and media type, passed on as they are).</summary>
    public Task<Outcome<SearchResponse>> SearchByImageAsync(string id, byte[] image, string contentType, int k, CancellationToken ct = default)
    {
        var content = new ByteArrayContent(image);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return SendAsync<SearchResponse>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(id)}/search?k={k}", content, ct);
    }

    public Task<Outcome<List<NearDuplicateView>>> NearDuplicatesAsync(string id, double threshold, int limit, CancellationToken ct = default) =>
        SendAsync<List<NearDuplicateView>>(HttpMethod.Get,
            $"/api/runs/{Uri.EscapeDataString(id)}/near-duplicates?threshold={threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}&limit={limit}", null, ct);

    public Task<Outcome<SweepDetail>> CreateSweepAsync(object request, CancellationToken ct = default) =>
        SendAsync<SweepDetail>(HttpMethod.Post, "/api/sweeps", request, ct);

    public Task<IReadOnlyList<Sweep>> ListSweepsAsync(CancellationToken ct = default) =>
        Reachable<IReadOnlyList<Sweep>>(async () => await http.GetFromJsonAsync<List<Sweep>>("/api/sweeps", Json, ct) ?? [], ct);

    public Task<SweepDetail?> GetSweepAsync(string id, CancellationToken ct = default) => Reachable(async () =>
    {
        using var response = await http.GetAsync($"/api/sweeps/{Uri.EscapeDataString(id)}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<SweepDetail>(Json, ct);
    }, ct);

    /// <summary>Continues the run's checkpoint as a new run with <paramref name="changes"/> (flat settings, name, tags, notes).</summary>
    public Task<Outcome<Run>> ForkAsync(string id, IReadOnlyDictionary<string, object?> changes, CancellationToken ct = default) =>
        SendAsync<Run>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(id)}/fork", changes, ct);

    public Task<Outcome<Run>> CancelAsync(string id, CancellationToken ct = default) =>
        SendAsync<Run>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(id)}/cancel", null, ct);

    public Task<Outcome<Run>> ResumeAsync(string id, CancellationToken ct = default) =>
        SendAsync<Run>(HttpMethod.Post, $"/api/runs/{Uri.EscapeDataString(id)}/resume", null, ct);

    public Task<Outcome<Run>> UpdateAsync(string id, string name, IReadOnlyList<string> tags, string notes, CancellationToken ct = default) =>
        SendAsync<Run>(HttpMethod.Patch, $"/api/runs/{Uri.EscapeDataString(id)}", new { name, tags, notes }, ct);

    public Task<Outcome<object>> DeleteAsync(string id, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, $"/api/runs/{Uri.EscapeDataString(id)}", null, ct);

    public Task<SystemStatus?> GetSystemAsync(CancellationToken ct = default) =>
        Reachable(() => http.GetFromJsonAsync<SystemStatus>("/api/system", Json, ct), ct);

    public Task<IReadOnlyList<DatasetStatus>> GetDatasetsAsync(CancellationToken ct = default) =>
        Reachable<IReadOnlyList<DatasetStatus>>(async () => await http.GetFromJsonAsync<List<DatasetStatus>>("/api/datasets", Json, ct) ?? [], ct);

    /// <summary>Opens a download (checkpoint or encoder) from the trainer, once it has answered a quick request.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string id, string artifact, CancellationToken ct = default)
    {
        await EnsureReachableAsync(id, ct);
        return await Reachable(() => clients.CreateClient(DownloadClient).GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/{artifact}", HttpCompletionOption.ResponseHeadersRead, ct), ct);
    }

    /// <summary>Indexed image <paramref name="entry"/>'s thumbnail: small and quick, through the impatient client.</summary>
    public Task<HttpResponseMessage> GetIndexedImageAsync(string id, string entry, CancellationToken ct = default) =>
        Reachable(() => http.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/index/images/{Uri.EscapeDataString(entry)}", HttpCompletionOption.ResponseHeadersRead, ct), ct);

    /// <summary>
    /// Throws <see cref="HttpRequestException"/> unless the trainer answers a quick request about the run within seconds. The
    /// patient client cannot tell a trainer that is down (its proxy still accepting connections) from one exporting for minutes.
    /// </summary>
    private Task EnsureReachableAsync(string id, CancellationToken ct) => Reachable(async () =>
    {
        using var response = await http.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}", HttpCompletionOption.ResponseHeadersRead, ct);
        return response.StatusCode;
    }, ct);

    /// <summary>
    /// Runs a call to the trainer; a trainer that is down, times out or has tripped the circuit breaker
    /// surfaces as one exception type, <see cref="HttpRequestException"/>, which pages show as "unreachable".
    /// </summary>
    private static async Task<T> Reachable<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not HttpRequestException && !ct.IsCancellationRequested
            && ex is TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            throw new HttpRequestException($"the trainer did not answer ({ex.Message})", ex);
        }
    }

    /// <param name="body">Sent as JSON, or as it is when it is already <see cref="HttpContent"/>.</param>
    /// <param name="client">A named client instead of the default one (for calls that may take longer than its timeout).</param>
    /// <param name="reachableFirst">With <paramref name="client"/>: the run the trainer must answer about quickly first.</param>
    private async Task<Outcome<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, string? client = null, string? reachableFirst = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = body as HttpContent ?? JsonContent.Create(body, options: Json);
        HttpResponseMessage sent;
        try
        {
            if (client is not null && reachableFirst is not null) await EnsureReachableAsync(reachableFirst, ct);
            var sender = client is null ? http : clients.CreateClient(client);
            sent = await Reachable(() => sender.SendAsync(request, ct), ct);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome<T>(default, $"The trainer cannot be reached: {ex.Message}", new Dictionary<string, string[]>());
        }
        using var response = sent;
        if (response.IsSuccessStatusCode)
        {
            var value = response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return new Outcome<T>(value, null, new Dictionary<string, string[]>());
        }

        var errors = new Dictionary<string, string[]>();
        string problem = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var details = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            if (details.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) problem = detail.GetString()!;
            else if (details.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String) problem = title.GetString()!;
            if (details.TryGetProperty("errors", out var fieldErrors) && fieldErrors.ValueKind == JsonValueKind.Object)
                errors = fieldErrors.Deserialize<Dictionary<string, string[]>>(Json) ?? errors;
        }
        catch (JsonException) { }
        return new Outcome<T>(default, problem, errors);
    }
}

/// <summary>Adds the trainer's API key to every request when the dashboard has one.</summary>
public sealed class ApiKeyHandler(IConfiguration configuration) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (configuration["Trainer:ApiKey"] is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        return base.SendAsync(request, cancellationToken);
    }
}
