using TorchSharp;
using System.CommandLine;
using System.Text.Json;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Cli;

/// <summary>kNN and linear-probe accuracy of a checkpoint's encoder, or of a randomly initialised one as a baseline.</summary>
public static class EvalCommand
{
    /// <summary>What <c>eval --json</c> prints.</summary>
    public sealed record EvalReport(string? Checkpoint, string Model, IReadOnlyList<EvaluationCompleted> Results);

    public static Command Create(TextWriter output)
    {
        var config = new ConfigOptions();
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint to evaluate; without it, a randomly initialised encoder (the baseline) is evaluated." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var skipLinear = new Option<bool>("--knn-only") { Description = "Skip the linear probe." };
        var command = new Command("eval", "Evaluate an encoder with kNN and a linear probe.") { checkpoint, json, skipLinear };
        config.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(checkpoint);
            if (path is { Exists: false }) throw new CliUsageException($"--checkpoint: {path.FullName} does not exist.");
            TrainedModel? trained = path is null ? null : TrainedModel.Load(path.FullName);
            // Data settings may be overridden (another data folder, subsets); the model comes from the checkpoint.
            var settings = config.Read(parse, trained?.Config);
            var device = trained?.Device ?? DeviceSelector.Resolve(settings.Device);
            DeviceSelector.ApplyThreads(settings.Threads);

            using var data = await new DatasetLoader().LoadAsync(settings, cancellationToken);
            if (!EncoderEvaluator.CanEvaluate(data))
                throw new CliUsageException($"--dataset: '{settings.Dataset}' at {settings.DataDir} has no labelled train and test splits to evaluate on.");
            manual_seed(settings.Seed);
            using var network = trained?.Network ?? SslMethods.CreateOnline(settings);
            network.to(device);
            var normalization = trained?.Normalization ?? Normalization.Compute(data.Train.Images);
            var evaluator = new EncoderEvaluator(settings, normalization, device);
            var results = new List<EvaluationCompleted> { evaluator.Knn(trained?.Position.Epoch ?? 0, network.Encoder, data) };
            if (!parse.GetValue(skipLinear))
            {
                int epoch = trained?.Position.Epoch ?? 0;
                results.AddRange(evaluator.LinearProbes(epoch, network.Encoder, data, cancellationToken));
                if (settings.FineTuneEpochs > 0)
                    results.AddRange(EvaluationKinds.LabelFractions.Select(f => evaluator.FineTune(epoch, f, network.Encoder, data, cancellationToken)));
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new EvalReport(path?.FullName, settings.Model, results), ConsoleReporter.JsonOptions.TypeInfo<EvalReport>()));
            }
            else
            {
                output.WriteLine($"{(path is null ? "Randomly initialised" : path.FullName)} {settings.Model} on {data.Train.Source} / {data.Test!.Source}:");
                var reporter = new ConsoleReporter(output, json: false, interactive: false);
                foreach (var result in results) reporter.Report(result);
            }
            return 0;
        });
        return command;
    }
}
