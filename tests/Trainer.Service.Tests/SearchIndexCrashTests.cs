using System.Net;
using System.Net.Http.Json;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>The trainer killed with SIGKILL while it rewrites a run's search index, and started again on the same folder.</summary>
public class SearchIndexCrashTests
{
    [Fact]
    public async Task KilledWhileRewritingAnIndexLeavesNoIndexThatLooksWholeAndTheNextBuildCleansUp()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-index-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            string summaryFile;
            var trainer = await TrainerProcess.StartAsync(dataRoot);
            try
            {
                var run = await TrainerFactory.StartRunAsync(trainer.Client, new
                {
                    name = "indexed", dataset = "synthetic", syntheticTrainSize = 8192, syntheticTestSize = 1024, imageSize = 32, model = "tiny-cnn",
                    projectionHiddenDim = 32, projectionDim = 16, batchSize = 256, epochs = 1, learningRate = 1e-3, knnK = 10, linearProbeEpochs = 1, threads = 1,
                });
                id = run.Id;
                var done = await TrainerFactory.WaitForStatus(trainer.Client, id, RunStatus.Completed, RunStatus.Failed);
                Assert.True(done.Status == RunStatus.Completed, done.FailureReason);
                Assert.Equal(HttpStatusCode.OK, (await trainer.Client.PostAsync($"/api/runs/{id}/index", null)).StatusCode);
                summaryFile = Path.Combine(dataRoot, "runs", id, "index", "summary.json");
                Assert.True(File.Exists(summaryFile));

                // A build removes the summary before it rewrites the files and writes it again last. The kill must land in
                // between: that is known only once the process is dead (the build may write its summary while the kill is
                // on its way), so a kill that came too late is followed by a new process and another try.
                bool killedMidBuild = false;
                for (int attempt = 0; attempt < 20 && !killedMidBuild; attempt++)
                {
                    Assert.True(File.Exists(summaryFile), "a completed build left no summary");
                    var build = trainer.Client.PostAsync($"/api/runs/{id}/index", null);
                    while (!build.IsCompleted && File.Exists(summaryFile)) await Task.Delay(1);
                    if (File.Exists(summaryFile)) { (await build).Dispose(); continue; }
                    await trainer.KillAsync();
                    try { (await build).Dispose(); } catch (HttpRequestException) { }   // the killed build's connection is reset
                    killedMidBuild = !File.Exists(summaryFile);
                    if (!killedMidBuild)
                    {
                        await trainer.DisposeAsync();
                        trainer = await TrainerProcess.StartAsync(dataRoot);
                    }
                }
                Assert.True(killedMidBuild, "no kill landed between a build's removing and writing its summary");
            }
            finally
            {
                await trainer.DisposeAsync();
            }

            await using var second = await TrainerProcess.StartAsync(dataRoot);
            Assert.False(File.Exists(summaryFile));
            Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync($"/api/runs/{id}/index")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync($"/api/runs/{id}/search?image=3")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync($"/api/runs/{id}/index/images/3")).StatusCode);

            var rebuilt = await second.Client.PostAsync($"/api/runs/{id}/index", null);
            Assert.True(rebuilt.StatusCode == HttpStatusCode.OK, await rebuilt.Content.ReadAsStringAsync());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(summaryFile)!, "*.tmp"));
            var found = (await second.Client.GetFromJsonAsync<SearchResponse>($"/api/runs/{id}/search?image=3&k=5", TrainerFactory.Json))!;
            Assert.Equal(5, found.Hits.Count);
            Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync($"/api/runs/{id}/index/images/9215")).StatusCode);
        }
        finally
        {
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }
}
