using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireSimClr.Trainer.Api;
using Microsoft.AspNetCore.SignalR.Client;

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
}
