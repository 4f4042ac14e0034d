using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Service.Tests;

public class DataRootsTests
{
    [Fact]
    public async Task FoldersOutsideTheDataRootsAreRefusedEvenThroughALink()
    {
        await using var factory = new TrainerFactory();
        var client = factory.CreateAuthorizedClient();
        Directory.CreateDirectory(Path.Combine(factory.DataRoot, "datasets"));
        var link = Path.Combine(factory.DataRoot, "datasets", "escape");
        File.CreateSymbolicLink(link, "/etc");

        var response = await client.PostAsJsonAsync("/api/runs", new { dataset = "image-folder", dataDir = link });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("dataDir")[0].GetString()!;
        Assert.Contains("data roots", error);
        Assert.Contains(Path.GetFullPath(factory.DataRoot), error);
        Assert.DoesNotContain("passwd", error);

        var cache = await client.PostAsJsonAsync("/api/runs", new { dataset = "synthetic", cacheDir = Path.Combine(link, "cache") });
        Assert.Equal(HttpStatusCode.BadRequest, cache.StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<Run[]>("/api/runs", TrainerFactory.Json))!);

        // A folder that really is under the data root is accepted, stored resolved.
        var inside = Path.Combine(factory.DataRoot, "datasets", "..", "cache-here");
        var run = await TrainerFactory.StartRunAsync(client, new { dataset = "synthetic", syntheticTrainSize = 64, syntheticTestSize = 32, imageSize = 16,
            model = "tiny-cnn", batchSize = 32, epochs = 1, knnK = 10, linearProbe = false, cacheDir = inside, threads = 1 });
        Assert.Equal(Path.Combine(Path.GetFullPath(factory.DataRoot), "cache-here"), run.Config.CacheDir);
    }

    [Fact]
    public void ResolvingFollowsEveryLinkAndRefusesLoops()
    {
        var temp = Directory.CreateTempSubdirectory("simclr-roots-").FullName;
        try
        {
            var root = Directory.CreateDirectory(Path.Combine(temp, "root")).FullName;
            Directory.CreateDirectory(Path.Combine(temp, "outside", "photos"));
            File.CreateSymbolicLink(Path.Combine(root, "hop1"), Path.Combine(temp, "hop2"));
            File.CreateSymbolicLink(Path.Combine(temp, "hop2"), Path.Combine(temp, "outside"));
            File.CreateSymbolicLink(Path.Combine(root, "inner"), "sub");
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.CreateSymbolicLink(Path.Combine(root, "loop-a"), Path.Combine(root, "loop-b"));
            File.CreateSymbolicLink(Path.Combine(root, "loop-b"), Path.Combine(root, "loop-a"));

            var roots = new DataRoots([root]);
            Assert.Null(roots.Allow(Path.Combine(root, "hop1", "photos")));           // two links lead outside
            Assert.Equal(Path.Combine(root, "sub", "x"), roots.Allow(Path.Combine(root, "inner", "x")));   // a relative link that stays inside
            Assert.Null(roots.Allow(Path.Combine(root, "loop-a", "x")));
            Assert.Null(roots.Allow(root + "-sibling"));                              // a prefix of the name is not the folder
            Assert.Equal(root, roots.Allow(Path.Combine(root, "sub", "..")));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
