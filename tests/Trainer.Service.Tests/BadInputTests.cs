using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>Generated bad requests against the real API: each must get a 4xx naming what is wrong, and change nothing stored.</summary>
public class BadInputTests
{
    [Fact]
    public async Task HundredsOfGeneratedBadBodiesEachGetA4xxAndNoStoredRunChanges()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var existing = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        await TrainerFactory.WaitForStatus(client, existing.Id, RunStatus.Completed);
        var before = await client.GetStringAsync("/api/runs");
        var metricsBefore = await client.GetStringAsync($"/api/runs/{existing.Id}/metrics");

        var cases = BadRequests.Create(new Random(20261204)).ToList();
        Assert.True(cases.Count >= 300, $"only {cases.Count} generated cases");
        var wrong = new List<string>();
        foreach (var bad in cases)
        {
            using var request = new HttpRequestMessage(bad.Method, bad.Method == HttpMethod.Patch ? $"/api/runs/{existing.Id}" : "/api/runs") { Content = bad.Content };
            using var response = await client.SendAsync(request);
            int status = (int)response.StatusCode;
            if (status is < 400 or >= 500) { wrong.Add($"{bad.What}: {status} {await response.Content.ReadAsStringAsync()}"); continue; }
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") { wrong.Add($"{bad.What}: {status} without ProblemDetails"); continue; }
            if (status == 400 && bad.Field is { } field)
            {
                var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
                if (!errors.TryGetProperty(field, out _)) wrong.Add($"{bad.What}: 400 does not name '{field}' ({errors})");
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} bad requests were not refused as they should be:\n" + string.Join("\n", wrong.Take(20)));
        Assert.Equal(before, await client.GetStringAsync("/api/runs"));
        Assert.Equal(metricsBefore, await client.GetStringAsync($"/api/runs/{existing.Id}/metrics"));
    }

    [Theory]
    [InlineData("since=abc", "since")]
    [InlineData("since=-1", "since")]
    [InlineData("since=1e3", "since")]
    [InlineData("since=99999999999999999999999", "since")]
    public async Task BadQueryValuesAre400NamingTheParameter(string query, string field)
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        var response = await client.GetAsync($"/api/runs/{run.Id}/metrics?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/runs?status=sideways")).StatusCode);
    }
}

/// <summary>A request body that must be refused; Field is the setting a 400 must name, when one is to blame.</summary>
public sealed record BadRequest(string What, HttpMethod Method, HttpContent Content, string? Field);

public static class BadRequests
{
    private static readonly JsonObject Valid = new()
    {
        ["name"] = "bad-input", ["dataset"] = "synthetic", ["syntheticTrainSize"] = 64, ["syntheticTestSize"] = 32, ["imageSize"] = 16,
        ["model"] = "tiny-cnn", ["batchSize"] = 32, ["epochs"] = 1, ["knnK"] = 10, ["linearProbeEpochs"] = 5, ["threads"] = 1,
    };

    // Settings whose every value is acceptable (any seed) or that depend on folders are left out here.
    private static readonly string[] Unbounded = ["seed", "dataDir", "cacheDir"];

    public static IEnumerable<BadRequest> Create(Random random)
    {
        foreach (var property in typeof(TrainingConfig).GetProperties().Where(p => p.CanWrite))
        {
            string field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (Unbounded.Contains(field)) continue;
            foreach (var value in BadValues(property, random))
                yield return Post($"{field} = {Shorten(value?.ToJsonString() ?? "null")}", With(field, value), field);
        }

        foreach (var folder in new[] { "/etc", "/", "../../root", "/tmp/../etc", "bad\u0000path", new string('d', 5000) })
        {
            yield return Post($"dataDir = {Shorten(folder)}", With("dataDir", folder).Also("dataset", "image-folder"), "dataDir");
            yield return Post($"cacheDir = {Shorten(folder)}", With("cacheDir", folder), "cacheDir");
        }

        yield return Post("name of 201 characters", With("name", new string('n', 201)), "name");
        yield return Post("notes of 10,001 characters", With("notes", new string('n', 10_001)), "notes");
        yield return Post("40 tags", With("tags", new JsonArray(Enumerable.Range(0, 40).Select(i => (JsonNode?)$"t{i}").ToArray())), "tags");
        yield return Post("a tag of 65 characters", With("tags", new JsonArray(new string('t', 65))), "tags");
        yield return Post("tags as a string", With("tags", "a,b"), "tags");
        yield return Post("name as a number", With("name", 5), "name");
        for (int i = 0; i < 20; i++)
        {
            var name = RandomText(random, 1 + random.Next(30));
            if (Valid.ContainsKey(name) || typeof(TrainingConfig).GetProperty(name, BindingFlags.IgnoreCase | BindingFlags.Public | BindingFlags.Instance) is not null) continue;
            yield return Post($"unknown setting '{name}'", With(name, 1), name);
        }

        // Malformed JSON: every kind of broken document, and many cut-off copies of a valid one.
        var valid = Valid.ToJsonString();
        foreach (var broken in new[] { "", "{", "}", "{\"epochs\":}", "{\"epochs\":1,}", "{epochs:1}", "{'epochs':1}", "{\"epochs\":NaN}",
                     "{\"epochs\":Infinity}", "{} {}", valid + "x", "{\"a\":1 /* comment */}", new string('[', 5000) + new string(']', 5000), "\u0000" })
            yield return Raw($"malformed: {Shorten(broken)}", broken, "application/json", "body");
        for (int i = 0; i < 60; i++)
        {
            int length = random.Next(valid.Length);
            yield return Raw($"cut off after {length} characters", valid[..length], "application/json", "body");
        }
        foreach (var notAnObject in new[] { "[]", "null", "42", "\"run\"", "true", "[{\"epochs\":1}]" })
            yield return Raw($"not an object: {notAnObject}", notAnObject, "application/json", "body");

        // Not JSON at all, or too large to read.
        yield return Raw("text/plain body", valid, "text/plain", null);
        yield return Raw("form body", "epochs=1", "application/x-www-form-urlencoded", null);
        yield return Raw("XML body", "<run><epochs>1</epochs></run>", "application/xml", null);
        yield return new BadRequest("no content type", HttpMethod.Post, new ByteArrayContent(Encoding.UTF8.GetBytes(valid)), null);
        yield return Post("body of 100 KB", With("notes", new string('x', 100_000)), null);
        yield return Post("body of 2 MB", With("name", new string('x', 2_000_000)), null);

        // The same against PATCH, which changes name, tags and notes only.
        yield return Patch("PATCH name of 201 characters", new JsonObject { ["name"] = new string('n', 201) }, "name");
        yield return Patch("PATCH empty name", new JsonObject { ["name"] = "  " }, "name");
        yield return Patch("PATCH 40 tags", new JsonObject { ["tags"] = new JsonArray(Enumerable.Range(0, 40).Select(i => (JsonNode?)$"t{i}").ToArray()) }, "tags");
        yield return Patch("PATCH a setting", new JsonObject { ["epochs"] = 3 }, "epochs");
        yield return new BadRequest("PATCH malformed", HttpMethod.Patch, new StringContent("{\"name\":", Encoding.UTF8, "application/json"), "body");
        yield return new BadRequest("PATCH text/plain", HttpMethod.Patch, new StringContent("name=x", Encoding.UTF8, "text/plain"), null);
    }

    private static IEnumerable<JsonNode?> BadValues(PropertyInfo property, Random random)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        bool nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null;
        if (!nullable && type.IsValueType) yield return null;
        if (type == typeof(string))
        {
            yield return RandomText(random, 1 + random.Next(20));
            yield return 5;
            yield return new JsonArray("cpu");
            yield return null;
            yield break;
        }
        if (type == typeof(bool))
        {
            yield return "yes";
            yield return 1;
            yield break;
        }
        yield return "ten";
        yield return true;
        yield return new JsonObject();
        yield return -1;
        yield return JsonNode.Parse("1e308");
        if (type == typeof(int))
        {
            yield return int.MaxValue;
            yield return 2.5;
            yield return JsonNode.Parse("1e9");
            yield return JsonNode.Parse("99999999999999999999");
        }
        else
        {
            yield return random.NextDouble() * -1e6;
        }
    }

    private static BadRequest Post(string what, JsonObject body, string? field) =>
        new(what, HttpMethod.Post, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), field);

    private static BadRequest Patch(string what, JsonObject body, string? field) =>
        new(what, HttpMethod.Patch, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), field);

    private static BadRequest Raw(string what, string body, string contentType, string? field) =>
        new(what, HttpMethod.Post, new StringContent(body, Encoding.UTF8, contentType), field);

    private static JsonObject Also(this JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return body;
    }

    private static JsonObject With(string field, JsonNode? value)
    {
        var body = Valid.DeepClone().AsObject();
        body[field] = value;
        return body;
    }

    private const string Alphabet = "abcxyz_-:/.!é€0123456789";

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
