using System.Net;
using System.Net.Http.Json;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Service.Tests;

public class SearchApiTests
{
    [Fact]
    public async Task ACompletedRunsDatasetIsIndexedAndSearchedWithoutItsQuery()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun());
        var done = await TrainerFactory.WaitForStatus(client, run.Id, RunStatus.Completed, RunStatus.Failed);
        Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/runs/{run.Id}/index")).StatusCode);

        var built = await client.PostAsync($"/api/runs/{run.Id}/index", null);
        Assert.True(built.StatusCode == HttpStatusCode.OK, await built.Content.ReadAsStringAsync());
        var summary = (await built.Content.ReadFromJsonAsync<SearchIndexSummary>(TrainerFactory.Json))!;
        Assert.Equal((128, 96, 32, 2), (summary.Images, summary.TrainImages, summary.TestImages, summary.Epoch));
        Assert.InRange(summary.PrecisionAt10!.Value, 0, 1);
        Assert.Equal(SearchBackends.Memory, summary.Backend);
        Assert.Contains("SQLite", summary.BackendReason);
        Assert.Equal([new RetrievalPrecision(2, summary.PrecisionAt10, summary.BuiltAt)], summary.Precision);
        Assert.Equivalent(summary, await client.GetFromJsonAsync<SearchIndexSummary>($"/api/runs/{run.Id}/index", TrainerFactory.Json), strict: true);

        // Each entry has a thumbnail: the 16-px image as trained on.
        var thumbnail = await client.GetAsync($"/api/runs/{run.Id}/index/images/100");
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);
        using (var decoded = SkiaSharp.SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync()))
            Assert.Equal((16, 16), (decoded.Width, decoded.Height));
        Assert.NotEqual(await client.GetByteArrayAsync($"/api/runs/{run.Id}/index/images/0"), await client.GetByteArrayAsync($"/api/runs/{run.Id}/index/images/127"));
        var badEntry = await RunsApiTests.Errors(await client.GetAsync($"/api/runs/{run.Id}/index/images/128"));
        Assert.Contains("from 0 to 127", badEntry["entry"][0]);
        badEntry = await RunsApiTests.Errors(await client.GetAsync($"/api/runs/{run.Id}/index/images/first"));
        Assert.Contains("'first'", badEntry["entry"][0]);

        // A build again of the same checkpoint replaces its precision point; files a killed build left behind are removed.
        var leftover = Path.Combine(factory.DataRoot, "runs", run.Id, "index", "vectors.f32.4242.tmp");
        await File.WriteAllBytesAsync(leftover, new byte[1000]);
        var again = (await (await client.PostAsync($"/api/runs/{run.Id}/index", null)).Content.ReadFromJsonAsync<SearchIndexSummary>(TrainerFactory.Json))!;
        Assert.Equal([2], again.Precision.Select(p => p.Epoch));
        Assert.False(File.Exists(leftover));

        var result = (await client.GetFromJsonAsync<SearchResponse>($"/api/runs/{run.Id}/search?image=100&k=5", TrainerFactory.Json))!;
        Assert.Equal(5, result.Hits.Count);
        Assert.DoesNotContain(result.Hits, h => h.Index == 100);
        Assert.Equal(("test", 4, 1.0), (result.QueryImage!.Split, result.QueryImage.Position, result.QueryImage.Score));
        Assert.True(result.Hits.Zip(result.Hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "most similar first");
        Assert.All(result.Hits, h => Assert.Equal(h.Index < 96 ? ("train", h.Index) : ("test", h.Index - 96), (h.Split, h.Position)));
        Assert.All(result.Hits, h => Assert.NotNull(h.ClassName));

        // An uploaded image is embedded by the index's encoder and searched the same way.
        using var upload = new ByteArrayContent(StripesPng());
        upload.Headers.ContentType = new("image/png");
        var uploaded = await client.PostAsync($"/api/runs/{run.Id}/search?k=4", upload);
        Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
        var byImage = (await uploaded.Content.ReadFromJsonAsync<SearchResponse>(TrainerFactory.Json))!;
        Assert.Equal(-1, byImage.Query);
        Assert.Null(byImage.QueryImage);
        Assert.Equal(4, byImage.Hits.Count);

        using var text = new StringContent("not an image");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync($"/api/runs/{run.Id}/search", text)).StatusCode);
        using var garbage = new ByteArrayContent([1, 2, 3, 4]);
        garbage.Headers.ContentType = new("image/png");
        var errors = await RunsApiTests.Errors(await client.PostAsync($"/api/runs/{run.Id}/search", garbage));
        Assert.Contains("cannot be decoded", errors["image"][0]);
        // A PNG of under 100 bytes that declares 40,000 × 40,000 pixels is refused before anything is decoded.
        using var bomb = new ByteArrayContent(PngHeader(40_000, 40_000));
        bomb.Headers.ContentType = new("image/png");
        errors = await RunsApiTests.Errors(await client.PostAsync($"/api/runs/{run.Id}/search", bomb));
        Assert.Contains("40000 × 40000 pixels", errors["image"][0]);
        using var huge = new ByteArrayContent(new byte[9 * 1024 * 1024]);
        huge.Headers.ContentType = new("image/png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync($"/api/runs/{run.Id}/search", huge)).StatusCode);

        var pairs = (await client.GetFromJsonAsync<List<NearDuplicateView>>($"/api/runs/{run.Id}/near-duplicates?threshold=0.5&limit=3", TrainerFactory.Json))!;
        Assert.InRange(pairs.Count, 0, 3);
        Assert.All(pairs, p => Assert.True(p.Score >= 0.5 && p.First.Index < p.Second.Index));

        // A build killed before its last write leaves vectors and manifest but no summary: that is no index.
        var folder = Path.Combine(factory.DataRoot, "runs", run.Id, "index");
        Assert.True(File.Exists(Path.Combine(folder, "vectors.f32")));
        File.Delete(Path.Combine(folder, "summary.json"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/runs/{run.Id}/index")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/runs/{run.Id}/search?image=1")).StatusCode);
    }

    /// <summary>A PNG signature, an IHDR chunk (8-bit RGB), one IDAT of a few bytes and IEND: dimensions without their pixels.</summary>
    private static byte[] PngHeader(int width, int height)
    {
        static byte[] Chunk(string type, byte[] body)
        {
            var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(body).ToArray();
            var length = BitConverter.GetBytes(body.Length).Reverse();
            var crc = BitConverter.GetBytes(Crc32(typed)).Reverse();
            return [.. length, .. typed, .. crc];
        }
        byte[] BigEndian(int value) => [.. BitConverter.GetBytes(value).Reverse()];
        byte[] header = [.. BigEndian(width), .. BigEndian(height), 8, 2, 0, 0, 0];
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal)) zlib.Write(new byte[64]);
        return [137, 80, 78, 71, 13, 10, 26, 10, .. Chunk("IHDR", header), .. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])];
    }

    /// <summary>PNG's CRC-32 (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] StripesPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(40, 24);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 40; x++)
                bitmap.SetPixel(x, y, (x / 4) % 2 == 0 ? SkiaSharp.SKColors.White : SkiaSharp.SKColors.DarkBlue);
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    [Fact]
    public async Task EveryCheckpointIndexedKeepsItsRetrievalPrecision()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var run = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 500, name: "long"));
        // Indexed while it trains: builds go on until two of them found different checkpoints.
        var summaries = new List<SearchIndexSummary>();
        var deadline = DateTime.UtcNow + TrainerFactory.RunTimeout;
        while (summaries.Select(s => s.Epoch).Distinct().Count() < 2 && DateTime.UtcNow < deadline)
        {
            var built = await client.PostAsync($"/api/runs/{run.Id}/index", null);
            if (built.StatusCode == HttpStatusCode.OK) summaries.Add((await built.Content.ReadFromJsonAsync<SearchIndexSummary>(TrainerFactory.Json))!);
            else Assert.Equal(HttpStatusCode.Conflict, built.StatusCode);   // no checkpoint yet
        }
        await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        var last = summaries[^1];
        var epochs = summaries.Select(s => s.Epoch).Distinct().Order().ToList();
        Assert.Equal(epochs, last.Precision.Select(p => p.Epoch));
        Assert.All(last.Precision, p => Assert.Equal(summaries.Last(s => s.Epoch == p.Epoch).PrecisionAt10, p.PrecisionAt10));
        Assert.Equivalent(last, await client.GetFromJsonAsync<SearchIndexSummary>($"/api/runs/{run.Id}/index", TrainerFactory.Json), strict: true);
    }

    [Fact]
    public async Task BadQueriesName400TheirFieldAndRunsWithoutIndexOrCheckpointSaySo()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/nonexistent/index")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/runs/nonexistent/index", null)).StatusCode);

        await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 500, name: "long"));
        var waiting = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(name: "waiting"));
        var refused = await client.PostAsync($"/api/runs/{waiting.Id}/index", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("No checkpoint yet", await refused.Content.ReadAsStringAsync());
        var missing = await client.GetAsync($"/api/runs/{waiting.Id}/search?image=0");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No index yet", await missing.Content.ReadAsStringAsync());
        await client.PostAsync("/api/runs/cancel-all", null);

        var quick = await TrainerFactory.StartRunAsync(client, TrainerFactory.QuickRun(epochs: 1));
        await TrainerFactory.WaitForStatus(client, quick.Id, RunStatus.Completed);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/runs/{quick.Id}/index", null)).StatusCode);
        var errors = await RunsApiTests.Errors(await client.GetAsync($"/api/runs/{quick.Id}/search?image=128&k=0"));
        Assert.Contains("from 0 to 127", errors["image"][0]);
        Assert.Contains("'0'", errors["k"][0]);
        errors = await RunsApiTests.Errors(await client.GetAsync($"/api/runs/{quick.Id}/search"));
        Assert.Contains("is required", errors["image"][0]);
        errors = await RunsApiTests.Errors(await client.GetAsync($"/api/runs/{quick.Id}/near-duplicates?threshold=0.1&limit=many"));
        Assert.Contains("0.5 to 1", errors["threshold"][0]);
        Assert.Contains("'many'", errors["limit"][0]);
    }
}
