using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireSimClr.Trainer.Api;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;

namespace AspireSimClr.Trainer.Service.Tests;

public class AccessTests
{
    [Fact]
    public async Task ReadsNeedTheKeyWhenTheTrainerRequiresIt()
    {
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["Trainer:RequireKeyForReads"] = "true" });
        var anonymous = factory.CreateClient();
        foreach (var path in new[] { "/api/runs", "/api/system", "/api/datasets", "/api/runs/x/metrics", "/openapi/v1.json" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateAuthorizedClient().GetAsync("/api/runs")).StatusCode);

        await using var hub = factory.CreateHubConnection();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:5190", false)]
    [InlineData("http://127.0.0.1:5190", false)]
    [InlineData("http://[::1]:5190", false)]
    [InlineData("http://0.0.0.0:5190", true)]
    [InlineData("http://*:80", true)]
    [InlineData("http://+:80", true)]
    [InlineData("http://192.168.1.20:80", true)]
    public void ReadsAreOpenByDefaultOnlyOnLoopback(string address, bool beyond) =>
        Assert.Equal(beyond, ReadAccess.ListensBeyondLoopback(["http://localhost:1", address]));

    [Fact]
    public async Task ChangesAreRateLimitedPerClientWith429()
    {
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["Trainer:MutationsPerMinute"] = "3" });
        var client = factory.CreateAuthorizedClient();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 5; i++) statuses.Add((await client.PostAsJsonAsync("/api/runs/cancel-all", new { })).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var limited = await client.PostAsync("/api/runs/cancel-all", null);
        Assert.True(limited.Headers.RetryAfter is not null, "429 says when to retry");
        Assert.Equal("Too many changes", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs")).StatusCode);   // reads are not limited
    }

    [Fact]
    public async Task OneChangeLimitCoversEveryChangingEndpointAndUnauthorizedAttempts()
    {
        await using var factory = new TrainerFactory(settings: new Dictionary<string, string> { ["Trainer:MutationsPerMinute"] = "2" });
        var client = factory.CreateAuthorizedClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/runs/cancel-all", new { })).StatusCode);
        // A sweep that is refused for its body still counts: the limit is checked before anything else.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/sweeps", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/runs/cancel-all", new { })).StatusCode);

        // Without the key the client is its address, with its own window; wrong keys are counted there too.
        var stranger = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("/api/runs/cancel-all", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("/api/runs/cancel-all", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.PostAsJsonAsync("/api/runs/cancel-all", new { })).StatusCode);
    }

    [Fact]
    public void FixedWindowLimiterCountsPerClientAndRenewsWhenTheWindowIsOver()
    {
        var time = new SettableTime(DateTimeOffset.Parse("2026-12-04T10:00:00Z"));
        var limiter = new FixedWindowLimiter(2, TimeSpan.FromMinutes(1), time);
        Assert.True(limiter.TryAcquire("a", out _));
        time.Now += TimeSpan.FromSeconds(20);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);   // the window began with the first request
        Assert.True(limiter.TryAcquire("b", out _));

        time.Now += TimeSpan.FromSeconds(40);
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("a", out _));
        Assert.False(limiter.TryAcquire("a", out _));
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
