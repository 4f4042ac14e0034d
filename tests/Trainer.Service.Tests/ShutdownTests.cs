using System.Net.Http.Json;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>SIGTERM to the real trainer process while a run loads its data: a clean exit, and the run left resumable.</summary>
public class ShutdownTests
{
    [Fact]
    public async Task StoppedWhileLoadingCifar10TheTrainerExitsCleanlyAndMarksTheRunInterruptedItself()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "simclr-shutdown-" + Guid.NewGuid().ToString("N"));
        var cifar10 = SharedCifar10.Root;
        var settings = new Dictionary<string, string>
        {
            ["Trainer:DataRoots:0"] = dataRoot,
            ["Trainer:DataRoots:1"] = Path.GetDirectoryName(cifar10)!,
        };
        try
        {
            string id;
            await using (var first = await TrainerProcess.StartAsync(dataRoot, settings))
            {
                var created = await first.Client.PostAsJsonAsync("/api/runs", new
                {
                    name = "stopped while loading", dataset = "cifar10", dataDir = cifar10, model = "compact-cnn", epochs = 1,
                    knnEveryEpochs = 0, linearProbe = false,
                });
                id = (await created.Content.ReadFromJsonAsync<Run>(TrainerFactory.Json))!.Id;
                await TrainerFactory.WaitForStatus(first.Client, id, RunStatus.Running);
                // Listing, fingerprinting and reading 60,000 images take seconds; the stop must not wait for them.
                Assert.Equal(0, await first.TerminateAsync());
                Assert.DoesNotContain("INTERNAL ASSERT", first.Log);
            }

            await using var second = await TrainerProcess.StartAsync(dataRoot, settings);
            var run = (await second.Client.GetFromJsonAsync<Run>($"/api/runs/{id}", TrainerFactory.Json))!;
            Assert.Equal(RunStatus.Interrupted, run.Status);
            // The worker's own words: it ended the run before the process ended, rather than the next start finding it still running.
            Assert.Contains("shut down during this run", run.FailureReason);
        }
        finally
        {
            if (Directory.Exists(dataRoot)) Directory.Delete(dataRoot, recursive: true);
        }
    }
}
