using System.CommandLine;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Models;

namespace AspireSimClr.Trainer.Cli;

public static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var config = new ConfigOptions();
        var checkpointDir = new Option<DirectoryInfo>("--checkpoint-dir") { Description = "Folder for latest.ckpt and encoder.pt (default: runs/<time>)." };
        var resume = new Option<FileInfo>("--resume") { Description = "Continue from this checkpoint (uses the config stored in it)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per event on standard output." };
        var command = new Command("train", "Train SimCLR on a dataset.") { checkpointDir, resume, json };
        config.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var resumePath = parse.GetValue(resume);
            if (resumePath is { Exists: false }) throw new CliUsageException($"--resume: {resumePath.FullName} does not exist.");
            var settings = resumePath is null ? config.Read(parse) : TrainingCheckpoint.ReadPosition(resumePath.FullName).Config;
            var folder = parse.GetValue(checkpointDir)?.FullName
                ?? (resumePath is not null ? resumePath.DirectoryName! : Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss")));
            var reporter = new ConsoleReporter(output, parse.GetValue(json), interactive: !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));
            var options = new TrainingLoopOptions { CheckpointDir = folder, ResumeFrom = resumePath?.FullName };

            RunCompleted? completed = null;
            await foreach (var e in new TrainingLoop().RunAsync(settings, options, cancellationToken))
            {
                reporter.Report(e);
                if (e is RunCompleted done) completed = done;
            }
            if (completed?.CheckpointPath is { } checkpoint)
            {
                using var model = TrainedModel.Load(checkpoint, "cpu");
                var encoderPath = Path.Combine(folder, "encoder.pt");
                ModelExport.SaveEncoderForPyTorch(model.Network.Encoder, encoderPath);
                if (!parse.GetValue(json)) output.WriteLine($"Encoder for PyTorch (state dict): {encoderPath}");
            }
            return completed is null ? 130 : 0;
        });
        return command;
    }
}
