using System.Net;
using System.Text.Json;
using AspireSimClr.Dashboard.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace AspireSimClr.Dashboard.Tests;

public class AugmentationPreviewPanelTests : MudTestContext
{
    private readonly StubTrainer Stub = new();

    public AugmentationPreviewPanelTests() => Services.AddSingleton(Stub.Client());

    private static AugmentationPreview Preview(long seed, params SettingAdvice[] advice) => new(32, seed, ["view 1", "view 2"],
        [new PreviewSample("cat", [1, 2, 3], [[4, 5], [6, 7]]), new PreviewSample("ship", [8], [[9], [10]])],
        new ViewOverlap(4096, 0.31, 0.04), advice);

    private static Dictionary<string, object?> Settings(int batchSize) => new() { ["name"] = "my run", ["dataset"] = "synthetic", ["batchSize"] = batchSize };

    [Fact]
    public void ShowsEachImageWithItsViewsTheOverlapAndTheAdvice()
    {
        Stub.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.OK, Preview(42, new SettingAdvice("few-negatives", "batchSize", "a batch of 32 gives each positive pair only 62 negatives")));
        var panel = Render<AugmentationPreviewPanel>(p => p.Add(x => x.Settings, Settings(32)).Add(x => x.Debounce, TimeSpan.Zero));

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".preview-sample").Count));
        Assert.Equal(["cat", "ship"], panel.FindAll(".preview-class").Select(e => e.TextContent));
        Assert.Equal(4, panel.FindAll("img.preview-view").Count);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String([4, 5]), panel.Find("img.preview-view").GetAttribute("src"));
        var advice = panel.Find(".preview-advice");
        Assert.Equal("few-negatives", advice.GetAttribute("data-code"));
        Assert.Contains("62 negatives", advice.TextContent);
        Assert.Contains("IoU 0.31", panel.Find("#preview-overlap").TextContent);
        Assert.Contains("4%", panel.Find("#preview-overlap").TextContent.Replace(" ", ""));

        var (method, path, body) = Assert.Single(Stub.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal("/api/previews/augmentation?images=6&draw=0", path);
        var sent = JsonDocument.Parse(body!).RootElement;
        Assert.Equal(32, sent.GetProperty("batchSize").GetInt32());
        Assert.False(sent.TryGetProperty("name", out _), "the run's name is not a setting to preview");
    }

    [Fact]
    public void ChangedSettingsAreDrawnAgainButTheSameSettingsAreNot()
    {
        Stub.Respond = (_, body) => StubTrainer.Json(HttpStatusCode.OK, body!.Contains("\"batchSize\":32")
            ? Preview(42, new SettingAdvice("few-negatives", "batchSize", "few"))
            : Preview(42));
        var panel = Render<AugmentationPreviewPanel>(p => p.Add(x => x.Settings, Settings(32)).Add(x => x.Debounce, TimeSpan.Zero));
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll(".preview-advice")));

        panel.Render(p => p.Add(x => x.Settings, Settings(32)));
        Assert.Single(Stub.Requests);
        panel.Render(p => p.Add(x => x.Settings, Settings(512)));
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll(".preview-advice")));
        Assert.Equal(2, Stub.Requests.Count);
    }

    [Fact]
    public void DrawingAgainAsksForTheNextDraw()
    {
        Stub.Respond = (request, _) => StubTrainer.Json(HttpStatusCode.OK, Preview(request.RequestUri!.Query.Contains("draw=1") ? 43 : 42));
        var panel = Render<AugmentationPreviewPanel>(p => p.Add(x => x.Settings, Settings(256)).Add(x => x.Debounce, TimeSpan.Zero));
        panel.WaitForAssertion(() => Assert.Contains("Seed 42", panel.Find("#preview-overlap").TextContent));

        panel.Find("#preview-draw-again").Click();
        panel.WaitForAssertion(() => Assert.Contains("Seed 43, draw 1", panel.Find("#preview-overlap").TextContent));
        Assert.EndsWith("draw=1", Stub.Requests[^1].Path);
    }

    [Fact]
    public void InvalidSettingsSayWhatThePreviewWaitsFor()
    {
        Stub.Respond = (_, _) => StubTrainer.Json(HttpStatusCode.BadRequest,
            new { title = "The run's settings are invalid.", errors = new Dictionary<string, string[]> { ["batchSize"] = ["must be at least 2."] } }, "application/problem+json");
        var panel = Render<AugmentationPreviewPanel>(p => p.Add(x => x.Settings, Settings(1)).Add(x => x.Debounce, TimeSpan.Zero));
        panel.WaitForAssertion(() => Assert.Contains("batchSize: must be at least 2.", panel.Find("#preview-problem").TextContent));
        Assert.Empty(panel.FindAll(".preview-sample"));
    }
}
