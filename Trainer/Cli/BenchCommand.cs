using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AspireSimClr.Trainer.Engine;
using AspireSimClr.Trainer.Engine.Augmentation;
using AspireSimClr.Trainer.Engine.Models;
using AspireSimClr.Trainer.Engine.Optimization;
using AspireSimClr.Trainer.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Cli;

/// <summary>
/// Throughput of the SimCLR training step (both views counted) and of the view augmentation, per
/// encoder and batch size, with resident memory after each round so that growth would show.
/// </summary>
public static class BenchCommand
{
    public sealed record BenchResult(string Model, int BatchSize, double TrainImagesPerSecond, double AugmentImagesPerSecond, long[] ResidentBytesPerRound, long PeakResidentBytes);

    public static Command Create(TextWriter output)
    {
        var cases = new Option<string>("--cases") { Description = "model:batch pairs, comma-separated.", DefaultValueFactory = _ => "tiny-cnn:256,compact-cnn:256,resnet18:64" };
        var steps = new Option<int>("--steps") { Description = "Timed training steps per round.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 3 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per case (memory is read after each).", DefaultValueFactory = _ => 3 };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (0 = library default)." };
        var json = new Option<bool>("--json") { Description = "Print results as JSON." };
        var command = new Command("bench", "Measure training and augmentation throughput and memory.") { cases, steps, warmup, rounds, imageSize, device, threads, json };
        command.SetAction(parse =>
        {
            var parsedCases = ParseCases(parse.GetValue(cases)!);
            if (parse.GetValue(steps) < 1) throw new CliUsageException("--steps: must be at least 1.");
            if (parse.GetValue(rounds) < 1) throw new CliUsageException("--rounds: must be at least 1.");
            var chosen = SimClrConfigValidator.Validate(new SimClrConfig { Device = parse.GetValue(device)! }).FirstOrDefault(e => e.Field == nameof(SimClrConfig.Device));
            if (chosen is not null) throw new CliUsageException($"--device: {chosen.Message}");
            DeviceSelector.ApplyThreads(parse.GetValue(threads));
            var target = DeviceSelector.Resolve(parse.GetValue(device)!);
            bool asJson = parse.GetValue(json);

            if (!asJson)
            {
                output.WriteLine($"device {target}, {get_num_threads()} threads, TorchSharp {typeof(torch).Assembly.GetName().Version}, " +
                    $"allocator: {Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "default"}" +
                    (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is { } t ? $", MALLOC_MMAP_THRESHOLD_={t}" : ""));
                output.WriteLine($"{"model",-12} {"batch",5} {"train img/s",12} {"augment img/s",14} {"RSS per round (MiB)",-28} {"peak MiB",8}");
            }
            var results = new List<BenchResult>();
            foreach (var (model, batch) in parsedCases)
            {
                var result = Measure(model, batch, parse.GetValue(imageSize), parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(rounds), target);
                results.Add(result);
                if (!asJson)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{result.Model,-12} {result.BatchSize,5} {result.TrainImagesPerSecond,12:F0} {result.AugmentImagesPerSecond,14:F0} {string.Join(" ", result.ResidentBytesPerRound.Select(b => (b / 1048576).ToString(CultureInfo.InvariantCulture))),-28} {result.PeakResidentBytes / 1048576,8}"));
            }
            if (asJson) output.WriteLine(JsonSerializer.Serialize(new { device = target.ToString(), threads = get_num_threads(), results }, ConsoleReporter.JsonOptions));
            return 0;
        });
        return command;
    }

    public static BenchResult Measure(string model, int batch, int imageSize, int steps, int warmup, int rounds, Device device)
    {
        var config = new SimClrConfig { Model = model, BatchSize = batch, ImageSize = imageSize, Dataset = DatasetNames.Synthetic };
        manual_seed(0);
        using var generator = new Generator(0);
        using var images = randint(0, 256, [batch, 3, imageSize, imageSize], dtype: ScalarType.Byte, generator: generator);
        var normalization = new Normalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);
        var augmentation = new ViewAugmentation(config, normalization);
        using var network = SimClrNetwork.Create(config);
        network.to(device);
        network.train();
        using var optimizer = OptimizerFactory.Create(config, network.parameters());

        for (int i = 0; i < warmup; i++) SimClrStep.Run(network, optimizer, augmentation, images, device, generator, config.Temperature);
        var memory = new List<long>();
        var trainTime = TimeSpan.Zero;
        var augmentTime = TimeSpan.Zero;
        int augmentCalls = 0;
        using var onDevice = images.to(device);
        for (int round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) SimClrStep.Run(network, optimizer, augmentation, images, device, generator, config.Temperature);
            Synchronize(device);
            trainTime += watch.Elapsed;

            watch.Restart();
            for (int i = 0; i < steps; i++)
            {
                using var view = augmentation.Apply(onDevice, generator);
                augmentCalls++;
            }
            Synchronize(device);
            augmentTime += watch.Elapsed;
            memory.Add(ProcessMemory.Read().ResidentBytes);
        }
        return new BenchResult(model, batch,
            2.0 * batch * steps * rounds / trainTime.TotalSeconds,
            (double)batch * augmentCalls / augmentTime.TotalSeconds,
            memory.ToArray(), ProcessMemory.Read().PeakResidentBytes);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    private static List<(string Model, int Batch)> ParseCases(string text)
    {
        var result = new List<(string, int)>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(':');
            if (parts.Length != 2 || !ModelNames.All.Contains(parts[0]) || !int.TryParse(parts[1], out int batch) || batch < 2)
                throw new CliUsageException($"--cases: '{item}' is not model:batch with a model from {string.Join(", ", ModelNames.All)} and a batch of at least 2.");
            result.Add((parts[0], batch));
        }
        return result.Count > 0 ? result : throw new CliUsageException("--cases: give at least one model:batch pair.");
    }
}
