using System.Diagnostics;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Cli;

/// <summary>
/// The command line as a real process, sent SIGTERM (kill, timeout, docker stop) while it trains: it stops after the current
/// step with a checkpoint at the position it reports, as Ctrl+C does (the same cancellation). SIGINT itself is not sent here:
/// a process started from a background job of a non-interactive shell inherits it ignored.
/// </summary>
public class CliSignalTests
{
    [Fact]
    public async Task SigtermWhileTrainingStopsAfterTheStepWithACheckpointToResumeFrom()
    {
        using var temp = new TempDirectory();
        string[] flags =
        [
            "train", "--dataset", "synthetic", "--synthetic-train-size", "64", "--synthetic-test-size", "16", "--image-size", "16",
            "--model", "tiny-cnn", "--batch-size", "16", "--knn-k", "10", "--epochs", "10000", "--knn-every-epochs", "0", "--linear-probe", "false",
            "--checkpoint-dir", temp.Path,
        ];
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AspireSimClr.Trainer"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path,
        };
        foreach (var flag in flags) start.ArgumentList.Add(flag);
        using var process = Process.Start(start)!;
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

            // Signalled once it reports its first epoch, so the stop lands in training, not in start-up.
            var output = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                if (line.StartsWith("epoch 1/", StringComparison.Ordinal)) break;
            }
            Assert.True(output.Count > 0 && output[^1].StartsWith("epoch 1/", StringComparison.Ordinal),
                $"no first epoch; the process wrote: {string.Join('\n', output)} {(process.HasExited ? await errors : "")}");
            Signals.Send(process.Id, Signals.Terminate);
            output.AddRange((await process.StandardOutput.ReadToEndAsync(timeout.Token)).Split('\n'));
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await errors}");
            Assert.Contains("Stopping after the current step", await errors);
            var stopped = Assert.Single(output, line => line.StartsWith("Stopped at epoch", StringComparison.Ordinal));
            var checkpoint = Path.Combine(temp.Path, "latest.ckpt");
            Assert.Contains($"resume with --resume {checkpoint}", stopped);
            Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));

            // The checkpoint holds the position the message names, so --resume continues from there.
            var position = TrainingCheckpoint.ReadPosition(checkpoint);
            Assert.StartsWith($"Stopped at epoch {position.Epoch + 1}, batch {position.BatchInEpoch};", stopped);
            Assert.True(position.GlobalStep > 0);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
