using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace AspireSimClr.Dashboard.BrowserTests;

/// <summary>The dashboard in a real browser against the real trainer, all started through the AppHost.</summary>
[Collection(AppCollection.Name)]
public class DashboardBrowserTests(AppFixture app)
{
    private static readonly object QuickSettings = new
    {
        dataset = "synthetic", syntheticTrainSize = 256, syntheticTestSize = 64, imageSize = 16, model = "tiny-cnn",
        projectionHiddenDim = 32, projectionDim = 16, batchSize = 32, knnK = 10, linearProbeEpochs = 5, learningRate = 1e-3,
        threads = 1,   // leave a core to the browser and the dashboard on a 2-core machine
    };

    private async Task<string> CreateRunAsync(string name, int epochs, double temperature = 0.5, int healthEverySteps = 50)
    {
        var body = JsonSerializer.SerializeToElement(QuickSettings).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        body["name"] = name;
        body["epochs"] = epochs;
        body["temperature"] = temperature;
        body["healthEverySteps"] = healthEverySteps;
        var response = await app.Trainer.PostAsJsonAsync("/api/runs", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> StatusAsync(string id) =>
        (await app.Trainer.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString()!;

    private async Task WaitForStatusAsync(string id, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var status = await StatusAsync(id);
            if (Array.IndexOf(statuses, status) >= 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"run {id} did not reach {string.Join("/", statuses)}");
            await Task.Delay(100);
        }
    }

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppFixture.ScreenshotDir, name + ".png"), FullPage = true });

    [Fact]
    public async Task RunCreatedFromTheFormGrowsItsCurveAndCompletes()
    {
        var page = await app.OpenAsync("/runs/new");
        await Assertions.Expect(page.Locator("#connection-state")).ToContainTextAsync("Live");
        await page.Locator("button.preset", new() { HasText = "Quick CPU demo" }).ClickAsync();
        await Assertions.Expect(page.Locator("#field-name")).ToHaveValueAsync("Quick CPU demo");
        await page.Locator("#field-name").FillAsync("browser form run");
        await page.Locator("#field-epochs").FillAsync("6");
        await page.Locator("#field-batchSize").FillAsync("32");
        await page.Locator("#field-syntheticTrainSize").FillAsync("512");
        await page.GetByText("Runtime", new() { Exact = true }).ClickAsync();
        await page.Locator("#field-threads").FillAsync("1");
        await Screenshot(page, "new-run");
        await page.Locator("#start-run").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs/[0-9a-f]{12}$"));
        await Assertions.Expect(page.Locator("#page-title")).ToHaveTextAsync("browser form run");
        var loss = page.Locator("#loss-chart polyline[data-series='loss (raw)']");
        try { await Assertions.Expect(loss).ToHaveCountAsync(1); }
        catch { await Screenshot(page, "failure-run-detail"); throw; }
        int early = int.Parse((await loss.GetAttributeAsync("data-points"))!);
        await Assertions.Expect(page.Locator("#run-status [data-status]")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 180_000 });
        int final = int.Parse((await loss.GetAttributeAsync("data-points"))!);
        Assert.True(final > early || early == 6 * 16, $"the loss curve should grow while training ({early} → {final} points)");
        Assert.Equal(6 * 16, final);
        await Assertions.Expect(page.Locator("#knn-chart circle")).ToHaveCountAsync(6);
        await Screenshot(page, "run-detail");
    }

    [Fact]
    public async Task TwoRunsAreComparedWithBothSeriesAndTheirDifferences()
    {
        var a = await CreateRunAsync("compare t=0.5", epochs: 2, temperature: 0.5);
        var b = await CreateRunAsync("compare t=0.2", epochs: 2, temperature: 0.2);
        await WaitForStatusAsync(a, "Completed");
        await WaitForStatusAsync(b, "Completed");

        var page = await app.OpenAsync("/");
        await Assertions.Expect(page.Locator($"tr.run-{a}")).ToBeVisibleAsync();
        await Screenshot(page, "runs");
        foreach (var id in new[] { a, b })
        {
            var box = page.Locator($"tr.run-{id} .select-run input");
            await box.CheckAsync(new() { Force = true });
            await Assertions.Expect(box).ToBeCheckedAsync();
        }
        await Assertions.Expect(page.Locator("#compare-selected")).ToBeEnabledAsync();
        await page.Locator("#compare-selected").ClickAsync();

        // Blazor navigates inside the page (no load event), so wait on the URL itself.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/compare\\?ids="));
        // Each run's raw loss, faded, under its smoothed curve.
        await Assertions.Expect(page.Locator("#compare-loss polyline.series")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#compare-knn .legend-item")).ToHaveCountAsync(2);
        // Both runs' linear probes on 1 %, 10 % and 100 % of the labels, on a log axis.
        await Assertions.Expect(page.Locator("#compare-label-efficiency .legend-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#compare-label-efficiency circle")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#compare-label-efficiency text.tick", new() { HasText = "10 %" })).ToHaveCountAsync(1);
        await page.Locator("#differences-only").ClickAsync();
        await Assertions.Expect(page.Locator("#config-diff tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#config-diff tbody tr")).ToContainTextAsync("method.temperature");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("diff=true"));
        await Screenshot(page, "compare");

        // The view is in the URL: another page opened on it shows the same comparison, here with a baseline and the epoch axis.
        var shared = await app.OpenAsync(new Uri(page.Url).PathAndQuery + $"&baseline={a}&axis=epoch");
        await Assertions.Expect(shared.Locator("#config-diff tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(shared.Locator("#compare-knn .legend-item", new() { HasText = "(baseline)" })).ToHaveTextAsync("compare t=0.5 (baseline)");
        await Assertions.Expect(shared.Locator("#compare-loss text.axis-title")).ToHaveTextAsync("epoch");
        await Assertions.Expect(shared.Locator($"#compare-summary tr[data-metric='kNN top-1'][data-run='{b}'] td.better, #compare-summary tr[data-metric='kNN top-1'][data-run='{b}'] td.worse")).ToHaveCountAsync(1);

        // Hovering gives exact values; the chart downloads as PNG and its series as CSV.
        await shared.Locator("#compare-knn .chart-zone[data-zone='119']").HoverAsync();
        await Assertions.Expect(shared.Locator("#compare-knn .chart-tooltip .tooltip-row")).ToHaveCountAsync(2);
        await Assertions.Expect(shared.Locator("#compare-knn .chart-tooltip")).ToContainTextAsync("%");
        await Screenshot(shared, "compare-tooltip");
        var png = await shared.RunAndWaitForDownloadAsync(() => shared.Locator("#compare-knn [data-tool='png']").ClickAsync());
        var pngBytes = await File.ReadAllBytesAsync(await png.PathAsync());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], pngBytes.Take(4));
        Assert.Equal("compare-knn.png", png.SuggestedFilename);
        var csv = await shared.RunAndWaitForDownloadAsync(() => shared.Locator("#compare-knn [data-tool='csv']").ClickAsync());
        var lines = (await File.ReadAllTextAsync(await csv.PathAsync())).TrimEnd().Split('\n');
        Assert.Equal("series,epoch,value", lines[0]);
        Assert.Equal(1 + 2 * 2, lines.Length);   // two kNN evaluations per run
    }

    [Fact]
    public async Task EveryPageRendersAtOnceWhileTheTrainerIsDownAndCatchesUpWhenItIsBack()
    {
        var existing = await CreateRunAsync("before the outage", epochs: 1);
        await WaitForStatusAsync(existing, "Completed");
        var page = await app.NewPageAsync();
        try
        {
            await app.StopTrainerAsync();
            foreach (var path in new[] { "/", $"/runs/{existing}", $"/runs/{existing}/search", "/compare", "/system", "/runs/new" })
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var response = await page.GotoAsync(new Uri(app.DashboardUrl, path).ToString());
                Console.WriteLine($"{path} rendered in {watch.ElapsedMilliseconds} ms with the trainer down");
                Assert.Equal(200, response!.Status);
                // Under the 8 s the client allows the trainer, and far under the 30 s of the default retries.
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{path} took {watch.Elapsed} with the trainer down");
                await Assertions.Expect(page.Locator("#page-title")).ToBeVisibleAsync();
                if (path != "/runs/new") await Assertions.Expect(page.Locator("#trainer-unreachable")).ToBeVisibleAsync();
            }
            // Downloads (which may wait minutes for an export while the trainer is up) answer 503 at once while it is down.
            foreach (var path in new[] { $"/download/{existing}/encoder.onnx?input=uint8", $"/download/{existing}/index/images/0.png", $"/download/{existing}/checkpoint" })
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var refused = await page.APIRequest.GetAsync(new Uri(app.DashboardUrl, path).ToString());
                Console.WriteLine($"{path} answered {refused.Status} in {watch.ElapsedMilliseconds} ms with the trainer down");
                Assert.Equal(503, refused.Status);
                Assert.Contains("cannot be reached", await refused.TextAsync());
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{path} took {watch.Elapsed} with the trainer down");
            }
            await app.OpenAsync("/", page);
            await Assertions.Expect(page.Locator("#connection-state")).Not.ToContainTextAsync("Live");
            await Screenshot(page, "trainer-down");
        }
        finally
        {
            await app.StartTrainerAsync();
        }

        // The page left open catches up by itself: live again, the warning gone, new runs appear without a reload.
        await Assertions.Expect(page.Locator("#connection-state")).ToContainTextAsync("Live");
        await Assertions.Expect(page.Locator("#trainer-unreachable")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"tr.run-{existing}")).ToBeVisibleAsync();
        var after = await CreateRunAsync("after the outage", epochs: 1);
        await Assertions.Expect(page.Locator($"tr.run-{after}")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task StrangersMustSignInBeforeAnyPageDownloadOrCircuit()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.DashboardUrl };
        foreach (var path in new[] { "/", "/runs/new", "/system", "/download/x/metrics.csv" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        }
        Assert.False((await anonymous.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).IsSuccessStatusCode, "the Blazor circuit needs sign-in");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        // A sign-in form posted without its antiforgery token is refused.
        var forged = await anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = AppFixture.Password }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, "not the password");
        await Assertions.Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        await page.Locator("#password").FillAsync(AppFixture.Password);
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#page-title")).ToHaveTextAsync("Runs");
        await Assertions.Expect(page.Locator("#connection-state")).ToContainTextAsync("Live");
    }

    [Fact]
    public async Task RunningRunIsCancelledFromItsPage()
    {
        // Long enough (about 10 minutes here) that it cannot finish before the cancel: a 200-epoch run took only 25 s.
        var id = await CreateRunAsync("to cancel", epochs: 5000);
        await WaitForStatusAsync(id, "Running");
        var page = await app.OpenAsync($"/runs/{id}");
        await Assertions.Expect(page.Locator("#loss-chart polyline.series").First).ToBeVisibleAsync();
        await page.Locator("#cancel-run").ClickAsync();
        await Assertions.Expect(page.Locator("#run-status [data-status]")).ToHaveAttributeAsync("data-status", "Cancelled", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#resume-run")).ToBeVisibleAsync();
        Assert.Equal("Cancelled", await StatusAsync(id));
        await app.OpenAsync("/system", page);
        await Assertions.Expect(page.Locator("#system-device")).ToContainTextAsync("cpu");
        await Screenshot(page, "system");
    }

    [Fact]
    public async Task TheRunPageDownloadsTheEncoderAsAnOnnxModel()
    {
        var id = await CreateRunAsync("onnx download", epochs: 1);
        await WaitForStatusAsync(id, "Completed");
        var page = await app.OpenAsync($"/runs/{id}");
        await page.Locator("#download-onnx").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open #download-onnx-uint8")).ToBeVisibleAsync();
        var download = await AppFixture.DownloadThroughPopupAsync(page, () => page.Locator("#download-onnx-uint8").ClickAsync());
        Assert.Equal($"simclr-{id}-encoder-uint8.onnx", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        // A ModelProto starts with field 1, ir_version, as a varint: 8.
        Assert.Equal([0x08, 0x08], bytes.Take(2));
        Assert.True(bytes.Length > 10_000, $"{bytes.Length} bytes");
        Assert.True(bytes.AsSpan().IndexOf("input_type"u8) > 0 && bytes.AsSpan().IndexOf("uint8"u8) > 0, "the metadata names the uint8 input");

        // The trainer's refusal reaches the browser as its problem, naming the option.
        var refused = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), $"/download/{id}/encoder.onnx?input=rgb").ToString());
        Assert.Equal(400, refused.Status);
        Assert.Contains("\"input\"", await refused.TextAsync());
    }

    [Fact]
    public async Task TheSearchPageFindsAnUploadedImageAndListsNearDuplicates()
    {
        var id = await CreateRunAsync("search", epochs: 1);
        await WaitForStatusAsync(id, "Completed");
        var page = await app.OpenAsync($"/runs/{id}");
        await page.Locator("#build-index").ClickAsync();
        await Assertions.Expect(page.Locator("#search-index-summary")).ToContainTextAsync("320 images (256 train, 64 test)", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#open-search")).ToHaveAttributeAsync("href", $"/runs/{id}/search");
        // Opened as a page of its own, waiting for its circuit: a file chosen while the page is only prerendered is not seen.
        await app.OpenAsync($"/runs/{id}/search", page);
        await Assertions.Expect(page.Locator("#page-title")).ToHaveTextAsync("Search");

        // Indexed image 7's own thumbnail is the image as trained on: uploaded, it finds image 7 first, with similarity 1.
        var thumbnail = await app.Trainer.GetByteArrayAsync($"/api/runs/{id}/index/images/7");
        // The upload input appears once the page has read the index; a file set before Blazor's InputFile has attached its
        // listener to it (its init sets _blazorInputFileNextFileId) is not seen.
        await page.WaitForFunctionAsync("() => document.getElementById('search-upload')?._blazorInputFileNextFileId !== undefined");
        await page.Locator("#search-upload").SetInputFilesAsync(new FilePayload { Name = "seven.png", MimeType = "image/png", Buffer = thumbnail });
        var hits = page.Locator("#search-results .search-hit");
        await Assertions.Expect(hits).ToHaveCountAsync(20);
        await Assertions.Expect(hits.First).ToHaveAttributeAsync("data-index", "7");
        Assert.True(double.Parse((await hits.First.GetAttributeAsync("data-score"))!, System.Globalization.CultureInfo.InvariantCulture) > 0.9999);
        await Assertions.Expect(page.Locator("#search-query")).ToContainTextAsync("seven.png");
        // Every result's thumbnail loads through the dashboard.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#search-results img')].every(i => i.complete && i.naturalWidth === 16)");

        // A result is searched for in its turn, itself left out.
        var next = (await hits.Nth(1).GetAttributeAsync("data-index"))!;
        await hits.Nth(1).ClickAsync();
        await Assertions.Expect(page.Locator("#search-query .search-hit")).ToHaveAttributeAsync("data-index", next);
        await Assertions.Expect(hits).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator($"#search-results .search-hit[data-index='{next}']")).ToHaveCountAsync(0);

        await page.GetByText("Near-duplicates", new() { Exact = true }).ClickAsync();
        await page.Locator("input#duplicates-threshold, #duplicates-threshold input").FillAsync("0.9");
        await page.Locator("#find-duplicates").ClickAsync();
        await Assertions.Expect(page.Locator("#duplicates-count")).ToBeVisibleAsync();
        var expected = await app.Trainer.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/near-duplicates?threshold=0.9&limit=50");
        await Assertions.Expect(page.Locator("#duplicate-pairs .duplicate-pair")).ToHaveCountAsync(expected.GetArrayLength());
        await Screenshot(page, "search");
    }

    [Fact]
    public async Task TheRunPageShowsHealthSignalsAsTheyAreMeasured()
    {
        var id = await CreateRunAsync("health", epochs: 2, healthEverySteps: 2);
        var page = await app.OpenAsync($"/runs/{id}");
        await Assertions.Expect(page.Locator("#health-latest")).ToContainTextAsync("Effective rank", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#health-chart polyline.series").First).ToBeVisibleAsync();
        await WaitForStatusAsync(id, "Completed");
        await Screenshot(page, "health");
    }

    [Fact]
    public async Task TheAugmentationPreviewFollowsTheFormsSettingsAndShowsARunsViews()
    {
        var page = await app.OpenAsync("/runs/new");
        await page.Locator("button.preset", new() { HasText = "Quick CPU demo" }).ClickAsync();
        var views = page.Locator("#preview-grid img.preview-view");
        await Assertions.Expect(views).ToHaveCountAsync(12, new() { Timeout = 30_000 });
        var before = await views.First.GetAttributeAsync("src");
        await Assertions.Expect(page.Locator(".preview-advice[data-code='views-share-nothing']")).ToHaveCountAsync(0);

        await page.GetByText("Views", new() { Exact = true }).ClickAsync();
        await page.Locator("#field-cropScaleMax").FillAsync("0.02");
        await page.Locator("#field-cropScaleMin").FillAsync("0.01");
        await Assertions.Expect(page.Locator(".preview-advice[data-code='views-share-nothing']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.NotEqual(before, await views.First.GetAttributeAsync("src"));
        await Screenshot(page, "augmentation-preview");
        await page.CloseAsync();

        var id = await CreateRunAsync("preview", epochs: 1);
        var runPage = await app.OpenAsync($"/runs/{id}");
        await runPage.Locator("#show-preview").ClickAsync();
        await Assertions.Expect(runPage.Locator("#preview-grid img.preview-view")).ToHaveCountAsync(12, new() { Timeout = 30_000 });
        await WaitForStatusAsync(id, "Completed");
    }

    [Fact]
    public async Task TheEmbeddingMapShowsEachEvaluatedEpochAndAClickedImagesNeighbours()
    {
        var id = await CreateRunAsync("embedding map", epochs: 3);
        await WaitForStatusAsync(id, "Completed");
        var page = await app.OpenAsync($"/runs/{id}");
        var points = page.Locator("#embedding-map g.embedding-point");
        await Assertions.Expect(points).ToHaveCountAsync(64, new() { Timeout = 30_000 });   // the whole 64-image test split
        await Assertions.Expect(page.Locator("#embedding-epoch-label")).ToHaveTextAsync("3");
        var atlas = await page.EvaluateAsync<int>("async () => (await fetch(document.querySelector('#embedding-map image').getAttribute('href'))).status");
        Assert.Equal(200, atlas);

        await points.Nth(5).Locator("rect").ClickAsync();
        await Assertions.Expect(page.Locator("#embedding-selection .embedding-neighbour[data-index]")).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator("#embedding-agreement")).ToContainTextAsync("neighbours share its class");
        await page.Locator("#embedding-explorer").ScrollIntoViewIfNeededAsync();
        await page.Locator("#embedding-explorer").ScreenshotAsync(new() { Path = Path.Combine(AppFixture.ScreenshotDir, "embedding-map.png") });

        await page.Locator("input#embedding-epoch, #embedding-epoch input").FocusAsync();
        await page.Keyboard.PressAsync("Home");
        await Assertions.Expect(page.Locator("#embedding-epoch-label")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task ASweepFromTheFormQueuesItsRunsAndItsTableAndParallelViewFill()
    {
        var page = await app.OpenAsync("/runs/new");
        await page.Locator("button.preset", new() { HasText = "Quick CPU demo" }).ClickAsync();
        await page.Locator("#field-name").FillAsync("browser sweep");
        await page.Locator("#field-epochs").FillAsync("2");
        await page.Locator("#field-syntheticTrainSize").FillAsync("512");
        await page.Locator("#sweep-axis-0-values").FillAsync("0.001, 0.002");
        await Assertions.Expect(page.Locator("#start-sweep")).ToContainTextAsync("2 runs");
        await page.Locator("#start-sweep").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sweeps/[0-9a-f]{12}$"));
        await Assertions.Expect(page.Locator("#sweep-table tr.sweep-run")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#sweep-progress")).ToContainTextAsync("2 of 2 runs completed", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator("#sweep-table tr.sweep-run td.knn", new() { HasText = "%" })).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#sweep-parallel polyline.pc-line")).ToHaveCountAsync(2);
        await Screenshot(page, "sweep");

        // A seed group compared as a mean with its ±1 std band.
        var body = JsonSerializer.SerializeToElement(QuickSettings).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        body["epochs"] = 2;
        var created = await app.Trainer.PostAsJsonAsync("/api/sweeps", new { name = "seeds", kind = "seeds", seeds = 2, settings = body });
        created.EnsureSuccessStatusCode();
        var sweep = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sweep");
        var seeds = await app.OpenAsync($"/sweeps/{sweep.GetProperty("id").GetString()}");
        await Assertions.Expect(seeds.Locator("#sweep-progress")).ToContainTextAsync("2 of 2 runs completed", new() { Timeout = 180_000 });
        await seeds.Locator("#sweep-compare").ClickAsync();
        await Assertions.Expect(seeds).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("bands=true"));
        await Assertions.Expect(seeds.Locator("#compare-knn polygon.band")).ToHaveCountAsync(1);
        await Assertions.Expect(seeds.Locator("#compare-knn .legend-item")).ToHaveTextAsync("seeds (mean ± std of 2 seeds)");
        await Screenshot(seeds, "compare-seeds");
    }
}
