using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkiaSharp;

namespace AspireSimClr.Trainer.Service.Tests;

public class PreviewApiTests
{
    private static readonly object Synthetic = new { dataset = "synthetic", imageSize = 24, batchSize = 32 };

    [Fact]
    public async Task APreviewShowsEachImageWithItsViewsAsPngsAndAdvisesOnTheSettings()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsJsonAsync("/api/previews/augmentation?images=5", Synthetic);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<AugmentationPreview>(TrainerFactory.Json))!;

        Assert.Equal(5, preview.Samples.Count);
        Assert.Equal(2, preview.Views.Count);
        Assert.All(preview.Samples.SelectMany(s => s.Views.Prepend(s.Original)), png =>
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal((24, 24), (bitmap.Width, bitmap.Height));
        });
        Assert.Equal(4096, preview.Overlap.Pairs);
        Assert.Equal("batchSize", Assert.Single(preview.Advice, a => a.Code == "few-negatives").Field);
    }

    [Fact]
    public async Task AnImageFolderWithAnEmptyClassIsPreviewedAndTheEmptyFolderNamed()
    {
        await using var factory = new TrainerFactory();
        var root = Path.Combine(factory.DataRoot, "datasets", "pets");
        foreach (var name in new[] { "cat", "dog" })
        {
            Directory.CreateDirectory(Path.Combine(root, "train", name));
            for (int i = 0; i < 3; i++)
            {
                using var bitmap = new SKBitmap(12, 12);
                bitmap.Erase(name == "cat" ? SKColors.Orange : SKColors.Brown);
                File.WriteAllBytes(Path.Combine(root, "train", name, $"{i}.png"), bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
            }
        }
        Directory.CreateDirectory(Path.Combine(root, "train", "fox"));
        var client = factory.CreateAuthorizedClient();

        var preview = (await (await client.PostAsJsonAsync("/api/previews/augmentation?images=4", new { dataset = "image-folder", dataDir = root, imageSize = 16 }))
            .Content.ReadFromJsonAsync<AugmentationPreview>(TrainerFactory.Json))!;
        Assert.Equal(4, preview.Samples.Count);
        Assert.Equal(["cat", "dog"], preview.Samples.Select(s => s.ClassName!).Distinct().Order());
        Assert.Contains(preview.Advice, a => a.Code == "empty-class-folder" && a.Message.Contains("'fox'"));
        Assert.Contains(preview.Advice, a => a.Code == "no-test-split");
    }

    [Theory]
    [InlineData("?images=0", "images")]
    [InlineData("?images=17", "images")]
    [InlineData("?images=two", "images")]
    [InlineData("?draw=-1", "draw")]
    public async Task BadPreviewParametersAreRefusedByName(string query, string field)
    {
        await using var factory = new TrainerFactory();
        var response = await factory.CreateAuthorizedClient().PostAsJsonAsync("/api/previews/augmentation" + query, Synthetic);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task BadSettingsAndMissingImagesAreRefusedByFieldAsForANewRun()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        var wrong = new List<string>();
        foreach (var bad in BadRequests.Create(new Random(4)).Where(b => b.Method == HttpMethod.Post).Take(150))
        {
            using var response = await client.PostAsync("/api/previews/augmentation", bad.Content);
            int status = (int)response.StatusCode;
            if (status is < 400 or >= 500) { wrong.Add($"{bad.What}: {status}"); continue; }
            if (status == 400 && bad.Field is { } field && !(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _))
                wrong.Add($"{bad.What}: 400 does not name '{field}'");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(20)));

        var missing = await client.PostAsJsonAsync("/api/previews/augmentation", new { dataset = "image-folder", dataDir = Path.Combine(factory.DataRoot, "datasets", "none") });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("dataDir", out _));
    }
}
