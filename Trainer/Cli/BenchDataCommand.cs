using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Cli;

/// <summary>
/// Time and memory of each phase of a run that depends on the dataset's size: loading an image
/// folder (listing, fingerprint, decoding or reading the cache), the normalisation statistics (which
/// read every pixel), training steps on batches drawn from it, and the kNN feature bank.
/// </summary>
public static class BenchDataCommand
{
    public sealed record PhaseResult(string Phase, double Seconds, double? ImagesPerSecond, long ResidentBytes, long? AnonymousBytes, long? FileBackedBytes);

    public sealed record DataBenchReport(string DataDir, int Images, string Source, int BatchSize, string Model, IReadOnlyList<PhaseResult> Phases, long PeakResidentBytes);

    public static Command Create(TextWriter output)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Image folder (<class>/*.jpg or train/<class>/*.jpg, or loose images).", Required = true };
        var model = new Option<string>("--model") { Description = "Encoder for the training steps and features.", DefaultValueFactory = _ => ModelNames.CompactCnn };
        model.AcceptOnlyFromAmong(ModelNames.All);
        var batchSize = new Option<int>("--batch-size") { Description = "Images per training step.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed training steps.", DefaultValueFactory = _ => 20 };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var features = new Option<bool>("--features") { Description = "Also extract the kNN feature bank of every image.", DefaultValueFactory = _ => true };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (0 = library default)." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("bench-data", "Measure time and memory of loading an image folder and training from it.")
            { dataDir, model, batchSize, steps, imageSize, features, threads, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(steps) < 1) throw new CliUsageException("--steps: must be at least 1.");
            var config = new TrainingConfig
            {
                Dataset = DatasetNames.ImageFolder, DataDir = parse.GetValue(dataDir), Model = parse.GetValue(model)!,
                BatchSize = parse.GetValue(batchSize), ImageSize = parse.GetValue(imageSize), Device = "cpu",
            };
            if (TrainingConfigValidator.Validate(config).FirstOrDefault() is { } invalid)
                throw new CliUsageException($"--{ConfigOptions.Kebab(invalid.Field)}: {invalid.Message}");
            DeviceSelector.ApplyThreads(parse.GetValue(threads));
            var device = DeviceSelector.Resolve(config.Device);
            DeviceSelector.UseFastKernels(device);
            config = RuntimeChoice.Resolve(config, device).ApplyTo(config);
            bool asJson = parse.GetValue(json);
            var phases = new List<PhaseResult>();
            void Report(PhaseResult phase)
            {
                phases.Add(phase);
                if (!asJson)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{phase.Phase,-14} {phase.Seconds,8:F2} s {(phase.ImagesPerSecond is { } rate ? $"{rate,9:F0} img/s" : new string(' ', 15))}  RSS {Mib(phase.ResidentBytes),6} MiB (anonymous {Mib(phase.AnonymousBytes),6}, file-backed {Mib(phase.FileBackedBytes),6})"));
            }

            var watch = Stopwatch.StartNew();
            using var data = await new DatasetLoader().LoadAsync(config, cancellationToken);
            var train = data.Train;
            Report(Phase("load", watch.Elapsed, null));
            if (!asJson) output.WriteLine($"{train.Count:N0} images: {train.Source}");

            watch.Restart();
            var normalization = Normalization.Compute(train.Images, cancellationToken);
            Report(Phase("normalization", watch.Elapsed, train.Count));

            manual_seed(0);
            using var session = TrainingSession.Create(config, normalization, device);
            var step = session.Step;
            var progress = new TrainingProgress(1, 1);
            using var batches = new DeviceBatches(train.Images, device);
            using var generator = new Generator(0);
            var random = new Random(0);
            int batch = Math.Min(config.BatchSize, train.Count);
            long[] NextBatch() => [.. Enumerable.Range(0, batch).Select(_ => (long)random.Next(train.Count))];
            for (int i = 0; i < 3; i++)
                using (var warm = batches.Gather(NextBatch())) step.Run(warm, generator, progress, readLoss: false);
            watch.Restart();
            int timedSteps = parse.GetValue(steps);
            for (int i = 0; i < timedSteps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var images = batches.Gather(NextBatch());
                step.Run(images, generator, progress, readLoss: false);
            }
            Report(Phase("train steps", watch.Elapsed, (long)session.Method.Views.Count * batch * timedSteps));

            if (parse.GetValue(features))
            {
                watch.Restart();
                // As the run's kNN evaluation does: the fp32 encoder, in evaluation mode.
                using var bank = FeatureExtractor.Extract(session.Method.Online.Encoder, train, normalization, config.ImageSize, device, cancellationToken: cancellationToken);
                Report(Phase("feature bank", watch.Elapsed, train.Count));
            }

            var peak = ProcessMemory.Read().PeakResidentBytes;
            if (asJson)
                output.WriteLine(JsonSerializer.Serialize(new DataBenchReport(config.DataDir!, train.Count, train.Source, batch, config.Model, phases, peak),
                    ConsoleReporter.JsonOptions.TypeInfo<DataBenchReport>()));
            else
                output.WriteLine($"peak RSS {Mib(peak)} MiB");
            return 0;
        });
        return command;
    }

    private static PhaseResult Phase(string name, TimeSpan elapsed, long? images)
    {
        var memory = ProcessMemory.Read();
        return new PhaseResult(name, elapsed.TotalSeconds, images is { } n ? n / elapsed.TotalSeconds : null,
            memory.ResidentBytes, memory.AnonymousBytes, memory.FileBackedBytes);
    }

    private static string Mib(long? bytes) => bytes is { } b ? (b / 1048576).ToString(CultureInfo.InvariantCulture) : "-";
}
