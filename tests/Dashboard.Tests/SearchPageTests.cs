using System.Net;
using AspireSimClr.Dashboard.Components.Pages;
using AspireSimClr.Dashboard.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Dashboard.Tests;

public class SearchPageTests : MudTestContext
{
    private readonly StubTrainer _trainer = new();
    private static readonly DateTimeOffset BuiltAt = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    public SearchPageTests() => Services.AddSingleton(_trainer.Client());

    private static SearchIndexSummary Summary(params RetrievalPrecision[] precision) =>
        new(60, 128, precision.Length == 0 ? 3 : precision[^1].Epoch, 50, 10, 0.42, 1.5, BuiltAt, SearchBackends.Memory, "the runs are stored in SQLite", precision);

    private static SearchHitView Hit(int entry, double score, string? className) =>
        new(entry, entry < 50 ? "train" : "test", entry < 50 ? entry : entry - 50, className, score);

    /// <summary>A run with a checkpoint, its index (or none), and searches whose hits are the entries after the query.</summary>
    private void Answer(SearchIndexSummary? index, Func<HttpRequestMessage, HttpResponseMessage?>? other = null) => _trainer.Respond = (request, _) =>
    {
        if (other?.Invoke(request) is { } answered) return answered;
        var path = request.RequestUri!.AbsolutePath;
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
        return path switch
        {
            "/api/runs/r1" => StubTrainer.Json(HttpStatusCode.OK, StubTrainer.SampleRun("r1", "cats", RunStatus.Completed) with { HasCheckpoint = true }),
            "/api/runs/r1/index" when index is null => StubTrainer.Json(HttpStatusCode.NotFound, new { title = "No index yet" }, "application/problem+json"),
            "/api/runs/r1/index" => StubTrainer.Json(HttpStatusCode.OK, index),
            "/api/runs/r1/search" when request.Method == HttpMethod.Get => Search(int.Parse(query["image"]!), int.Parse(query["k"]!)),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    };

    private static HttpResponseMessage Search(int entry, int k) => StubTrainer.Json(HttpStatusCode.OK,
        new SearchResponse(entry, [.. Enumerable.Range(1, 3).Select(i => Hit(entry + i, 1 - 0.1 * i, i == 3 ? "dog" : "cat"))], Hit(entry, 1, "cat")));

    [Fact]
    public void AnIndexedImageIsSearchedForAndAResultIsSearchedForInTurn()
    {
        Answer(Summary(new RetrievalPrecision(3, 0.42, BuiltAt)));
        var page = Render<RunSearch>(p => p.Add(s => s.Id, "r1"));
        page.WaitForAssertion(() => Assert.Contains("60 images (50 train, 10 test)", page.Find("#search-index-summary").TextContent));
        Assert.Contains("42.00 %", page.Find("#search-index-precision").TextContent);
        Assert.Contains("Searched by memory", page.Find("#search-index-backend").TextContent);

        page.Find("input#search-entry, #search-entry input").Change("5");
        page.Find("#search-by-entry").Click();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("#search-results .search-hit").Count));
        var hits = page.FindAll("#search-results .search-hit");
        Assert.Equal(["6", "7", "8"], hits.Select(h => h.GetAttribute("data-index")));
        Assert.Equal($"/download/r1/index/images/6.png?v={BuiltAt.UtcTicks}", hits[0].QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("0.900", hits[0].TextContent);
        Assert.Contains("train #6", hits[0].TextContent);
        Assert.Equal("5", page.Find("#search-query .search-hit").GetAttribute("data-index"));
        Assert.Contains("67 % of the results have the query's class", page.Find("#search-same-class").TextContent);
        Assert.Contains(_trainer.Requests, r => r.Path == "/api/runs/r1/search?image=5&k=20");

        // A result is a query in its turn.
        hits[2].Click();
        page.WaitForAssertion(() => Assert.Equal(["9", "10", "11"], page.FindAll("#search-results .search-hit").Select(h => h.GetAttribute("data-index"))));
        Assert.Equal("8", page.Find("#search-query .search-hit").GetAttribute("data-index"));
    }

    [Fact]
    public void AnUploadedImageIsSentAsItIsAndTheTrainersRefusalIsShown()
    {
        var uploads = new List<(string? ContentType, long Length)>();
        Answer(Summary(), request =>
        {
            if (request.Method != HttpMethod.Post || request.RequestUri!.AbsolutePath != "/api/runs/r1/search") return null;
            uploads.Add((request.Content!.Headers.ContentType?.MediaType, request.Content.Headers.ContentLength ?? -1));
            return uploads.Count == 1
                ? StubTrainer.Json(HttpStatusCode.OK, new SearchResponse(-1, [Hit(12, 0.8, "cat"), Hit(55, 0.7, "dog")], null))
                : StubTrainer.Json(HttpStatusCode.BadRequest, new { title = "The image cannot be read.", errors = new Dictionary<string, string[]> { ["image"] = ["the bytes cannot be decoded as an image."] } },
                    "application/problem+json");
        });
        var page = Render<RunSearch>(p => p.Add(s => s.Id, "r1"));
        page.WaitForAssertion(() => page.Find("#search-upload"));

        byte[] png = [137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3];
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(png, "cat.png", contentType: "image/png"));
        page.WaitForAssertion(() => Assert.Equal(["12", "55"], page.FindAll("#search-results .search-hit").Select(h => h.GetAttribute("data-index"))));
        Assert.Equal(("image/png", png.Length), uploads[0]);
        Assert.Contains(_trainer.Requests, r => r.Method == HttpMethod.Post && r.Path == "/api/runs/r1/search?k=20");
        Assert.StartsWith("data:image/png;base64,", page.Find("#search-query img").GetAttribute("src"));
        Assert.Contains("cat.png", page.Find("#search-query").TextContent);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([1, 2, 3], "broken.png", contentType: "image/png"));
        page.WaitForAssertion(() => Assert.Contains("image: the bytes cannot be decoded", page.Find("#search-problem").TextContent));
    }

    [Fact]
    public void NearDuplicatePairsAreListedWithTheirSimilarityAndABadThresholdIsNamed()
    {
        Answer(Summary(), request =>
        {
            if (request.RequestUri!.AbsolutePath != "/api/runs/r1/near-duplicates") return null;
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
            return query["threshold"] == "0.99"
                ? StubTrainer.Json(HttpStatusCode.OK, new[] { new NearDuplicateView(Hit(3, 0.998, "cat"), Hit(53, 0.998, "cat"), 0.998) })
                : StubTrainer.Json(HttpStatusCode.BadRequest, new { title = "The search is invalid.", errors = new Dictionary<string, string[]> { ["threshold"] = ["must be a number from 0.5 to 1 (a cosine similarity)."] } },
                    "application/problem+json");
        });
        var page = Render<RunSearch>(p => p.Add(s => s.Id, "r1"));
        page.WaitForAssertion(() => page.Find("#search-index-summary"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".mud-tab"), t => t.TextContent.Contains("Near-duplicates")));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Near-duplicates")).Click();

        // MudTabs renders the newly active panel on a later render, so the threshold field appears asynchronously.
        page.WaitForAssertion(() => page.Find("input#duplicates-threshold, #duplicates-threshold input"));
        page.Find("input#duplicates-threshold, #duplicates-threshold input").Change("0.99");
        page.Find("#find-duplicates").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#duplicate-pairs .duplicate-pair")));
        var pair = page.Find("#duplicate-pairs .duplicate-pair");
        Assert.Equal(["3", "53"], pair.QuerySelectorAll(".search-hit").Select(h => h.GetAttribute("data-index")));
        Assert.Contains("0.9980", pair.TextContent);
        Assert.Contains("1 pair at least 0.990 similar", page.Find("#duplicates-count").TextContent);
        Assert.Contains(_trainer.Requests, r => r.Path == "/api/runs/r1/near-duplicates?threshold=0.99&limit=50");

        page.Find("input#duplicates-threshold, #duplicates-threshold input").Change("0.8");
        page.Find("#find-duplicates").Click();
        page.WaitForAssertion(() => Assert.Contains("threshold: must be a number from 0.5 to 1", page.Find("#duplicates-problem").TextContent));
    }

    [Fact]
    public void ARunWithoutIndexOffersToBuildOneAndThenShowsItsPrecisionPerCheckpoint()
    {
        var built = Summary(new RetrievalPrecision(1, 0.30, BuiltAt), new RetrievalPrecision(3, 0.42, BuiltAt));
        Answer(null, request => request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/runs/r1/index" ? StubTrainer.Json(HttpStatusCode.OK, built) : null);
        var page = Render<RunSearch>(p => p.Add(s => s.Id, "r1"));
        page.WaitForAssertion(() => page.Find("#search-index-empty"));
        Assert.Empty(page.FindAll("#search-by-entry"));

        page.Find("#build-index").Click();
        page.WaitForAssertion(() => Assert.Contains("after epoch 3", page.Find("#search-index-summary").TextContent));
        Assert.NotNull(page.Find("#retrieval-precision-chart"));
        Assert.NotNull(page.Find("#search-by-entry"));
        Assert.Contains(_trainer.Requests, r => r.Method == HttpMethod.Post && r.Path == "/api/runs/r1/index");
    }

    [Fact]
    public void TheTrainersRefusalToBuildIsShown()
    {
        Answer(null, request => request.Method == HttpMethod.Post
            ? StubTrainer.Json(HttpStatusCode.Conflict, new { title = "The run's data cannot be indexed", detail = "CIFAR-10 was not found in /data/cifar10." }, "application/problem+json")
            : null);
        var panel = Render<SearchIndexPanel>(p => p.Add(s => s.RunId, "r1").Add(s => s.HasCheckpoint, true));
        panel.WaitForAssertion(() => panel.Find("#search-index-empty"));
        panel.Find("#build-index").Click();
        panel.WaitForAssertion(() => Assert.Contains("CIFAR-10 was not found", panel.Find("#search-index-problem").TextContent));
    }
}
