using AspireSimClr.Engine.Runtime;
using System.CommandLine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;

namespace AspireSimClr.Trainer.Cli;

/// <summary>Writes a split's representations and labels as .npy files.</summary>
public static class EmbedCommand
{
    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint whose encoder to use.", Required = true };
        var split = new Option<string>("--split") { Description = "train or test.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "test");
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for features.npy and labels.npy.", Required = true };
        var dataDir = new Option<string>("--data-dir") { Description = "Read the data from here instead of the checkpoint's data folder." };
        var command = new Command("embed", "Export representations (and labels) of a split as NumPy files.") { checkpoint, split, outDir, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(checkpoint)!;
            if (!path.Exists) throw new CliUsageException($"--checkpoint: {path.FullName} does not exist.");
            using var model = TrainedModel.Load(path.FullName);
            var settings = model.Config with { DataDir = parse.GetValue(dataDir) ?? model.Config.DataDir, TrainSubset = null, TestSubset = null };
            using var data = await new DatasetLoader().LoadAsync(settings, cancellationToken);
            var chosen = parse.GetValue(split) == "train" ? data.Train : data.Test
                ?? throw new CliUsageException($"--split: {settings.Dataset} at {settings.DataDir} has no test split.");

            using var features = FeatureExtractor.Extract(model.Network.Encoder, chosen, model.Normalization, settings.ImageSize, model.Device);
            var folder = parse.GetValue(outDir)!;
            folder.Create();
            var featuresPath = Path.Combine(folder.FullName, "features.npy");
            using (var onHost = features.cpu())
                NpyWriter.WriteFloat32(featuresPath, HostArrays.ToArray<float>(onHost), features.shape);
            output.WriteLine($"{featuresPath}: {features.shape[0]} × {features.shape[1]} float32");
            if (chosen.Labels is { } labels)
            {
                var labelsPath = Path.Combine(folder.FullName, "labels.npy");
                NpyWriter.WriteInt64(labelsPath, labels, labels.Length);
                output.WriteLine($"{labelsPath}: {labels.Length} int64 ({string.Join(", ", chosen.ClassNames)})");
            }
            return 0;
        });
        return command;
    }
}
