using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Cli;

/// <summary>
/// Throughput of the SimCLR training step (every view counted) and of the view augmentation, per
/// encoder and batch size, with resident memory after each round so that growth would show.
/// </summary>
public static class BenchCommand
{
    /// <summary>What <c>bench --json</c> prints.</summary>
    public sealed record BenchReport(string Device, string DeviceName, int Threads, IReadOnlyDictionary<string, double> PeakFlopsPerSecond, IReadOnlyList<BenchResult> Results);

    /// <summary>One case; <see cref="Mfu"/> is the training step's model FLOP/s over the attainable peak of its precision (the faster of a large matrix product and a large convolution, <see cref="ComputePeak"/>).</summary>
    public sealed record BenchResult(string Model, int BatchSize, string Precision, bool ChannelsLast, double TrainImagesPerSecond, double AugmentImagesPerSecond,
        long[] ResidentBytesPerRound, long PeakResidentBytes, long? DeviceMemoryBytes, long TrainFlopsPerImage, double? Mfu = null);

    public static Command Create(TextWriter output)
    {
        var cases = new Option<string>("--cases") { Description = "model:batch pairs, comma-separated.", DefaultValueFactory = _ => "tiny-cnn:256,compact-cnn:256,resnet18:64" };
        var steps = new Option<int>("--steps") { Description = "Timed training steps per round.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 3 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per case (memory is read after each).", DefaultValueFactory = _ => 3 };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (0 = library default)." };
        var precision = new Option<string>("--precision") { Description = "auto, fp32, bf16, or several (comma-separated); auto is what a run chooses on this device.", DefaultValueFactory = _ => PrecisionNames.Auto };
        var channelsLast = new Option<string>("--channels-last") { Description = "auto (on a CPU, or with bf16 on a GPU), false, true, or several (comma-separated).", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "Print results as JSON." };
        var command = new Command("bench", "Measure training and augmentation throughput and memory.") { cases, steps, warmup, rounds, imageSize, device, threads, precision, channelsLast, json };
        command.SetAction(parse =>
        {
            var parsedCases = ParseCases(parse.GetValue(cases)!);
            var precisions = ParseList(parse.GetValue(precision)!, PrecisionNames.All, "--precision");
            var layouts = ParseList(parse.GetValue(channelsLast)!, ["auto", "false", "true"], "--channels-last").Select(l => l == "auto" ? (bool?)null : bool.Parse(l)).ToArray();
            if (parse.GetValue(steps) < 1) throw new CliUsageException("--steps: must be at least 1.");
            if (parse.GetValue(rounds) < 1) throw new CliUsageException("--rounds: must be at least 1.");
            var chosen = TrainingConfigValidator.Validate(new TrainingConfig { Device = parse.GetValue(device)! }).FirstOrDefault(e => e.Field == nameof(TrainingConfig.Device));
            if (chosen is not null) throw new CliUsageException($"--device: {chosen.Message}");
            DeviceSelector.ApplyThreads(parse.GetValue(threads));
            var target = DeviceSelector.Resolve(parse.GetValue(device)!);
            DeviceSelector.UseFastKernels(target);
            foreach (var chosenPrecision in precisions)
            {
                try
                {
                    DeviceSelector.ThrowIfPrecisionUnsupported(chosenPrecision, target);
                }
                catch (InvalidConfigException ex)
                {
                    throw new CliUsageException($"--precision: {ex.Errors[0].Message}");
                }
            }
            bool asJson = parse.GetValue(json);
            // Peak per precision a case resolves to (auto may become bf16), measured once each.
            var peaks = new Dictionary<string, ComputePeak.Peak>();
            double Peak(string resolved) => (peaks.TryGetValue(resolved, out var known) ? known
                : peaks[resolved] = ComputePeak.Measure(target, resolved == PrecisionNames.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32)).FlopsPerSecond;

            if (!asJson)
            {
                output.WriteLine($"device {target} ({DeviceSelector.Describe(target)}), {get_num_threads()} threads, TorchSharp {typeof(torch).Assembly.GetName().Version}, " +
                    $"allocator: {(Environment.GetEnvironmentVariable("LD_PRELOAD") is { } preload ? $"LD_PRELOAD={preload}" : GlibcAllocator.State)}");
                output.WriteLine($"{"model",-12} {"batch",5} {"precision",-9} {"layout",-6} {"train img/s",12} {"GFLOP/s",8} {"MFU",6} {"augment img/s",14} {"RSS per round (MiB)",-28} {"peak MiB",8} {"GPU MiB",8}");
                if (target.type == DeviceType.CUDA)
                    output.WriteLine("(GPU MiB: this process's GPU memory so far; libtorch's caching allocator keeps what earlier cases reserved)");
            }
            var results = new List<BenchResult>();
            foreach (var (model, batch) in parsedCases)
            foreach (var chosenPrecision in precisions)
            foreach (var layout in layouts)
            {
                var config = new TrainingConfig
                {
                    Model = model, BatchSize = batch, ImageSize = parse.GetValue(imageSize), Dataset = DatasetNames.Synthetic,
                    Precision = chosenPrecision, ChannelsLast = layout,
                };
                var result = Measure(config, parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(rounds), target);
                result = result with { Mfu = result.TrainImagesPerSecond * result.TrainFlopsPerImage / Peak(result.Precision) };
                results.Add(result);
                if (!asJson)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{result.Model,-12} {result.BatchSize,5} {result.Precision,-9} {(result.ChannelsLast ? "NHWC" : "NCHW"),-6} {result.TrainImagesPerSecond,12:F0} {result.TrainImagesPerSecond * result.TrainFlopsPerImage / 1e9,8:F1} {result.Mfu,6:P1} {result.AugmentImagesPerSecond,14:F0} {string.Join(" ", result.ResidentBytesPerRound.Select(b => (b / 1048576).ToString(CultureInfo.InvariantCulture))),-28} {result.PeakResidentBytes / 1048576,8} {(result.DeviceMemoryBytes is { } gpu ? (gpu / 1048576).ToString(CultureInfo.InvariantCulture) : "-"),8}"));
            }
            if (asJson) output.WriteLine(JsonSerializer.Serialize(new BenchReport(target.ToString(), DeviceSelector.Describe(target), get_num_threads(), peaks.ToDictionary(p => p.Key, p => p.Value.FlopsPerSecond), results), ConsoleReporter.JsonOptions.TypeInfo<BenchReport>()));
            else output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"MFU: model FLOPs of the step (3 × forward of the convolutions and linear layers) over the attainable peak measured here: {string.Join(", ", peaks.Select(p => $"{p.Key} {p.Value.FlopsPerSecond / 1e9:F0} GFLOP/s ({p.Value.Kernel})"))}"));
            return 0;
        });
        return command;
    }

    public static BenchResult Measure(TrainingConfig config, int steps, int warmup, int rounds, Device device)
    {
        config = RuntimeChoice.Resolve(config, device).ApplyTo(config);
        int batch = config.BatchSize, imageSize = config.ImageSize;
        manual_seed(0);
        using var generator = new Generator(0);
        using var images = randint(0, 256, [batch, 3, imageSize, imageSize], dtype: ScalarType.Byte, generator: generator);
        var normalization = new Normalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);
        var augmentation = new ViewAugmentation(config, normalization);
        using var session = TrainingSession.Create(config, normalization, device);
        long trainFlops = FlopCounter.TrainingFlopsPerImage(session.Method.Online, imageSize);
        var step = session.Step;
        using var onDevice = images.to(device);
        var progress = new TrainingProgress(1, 1);

        for (int i = 0; i < warmup; i++) step.Run(onDevice, generator, progress);
        DeviceSelector.Synchronize(device);
        var memory = new List<long>();
        var trainTime = TimeSpan.Zero;
        var augmentTime = TimeSpan.Zero;
        int augmentCalls = 0;
        long? deviceMemory = null;
        for (int round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) step.Run(onDevice, generator, progress, readLoss: false);
            DeviceSelector.Synchronize(device);
            trainTime += watch.Elapsed;

            watch.Restart();
            for (int i = 0; i < steps; i++)
            {
                using var view = augmentation.Apply(onDevice, generator);
                augmentCalls++;
            }
            DeviceSelector.Synchronize(device);
            augmentTime += watch.Elapsed;
            memory.Add(ProcessMemory.Read().ResidentBytes);
            if (DeviceSelector.MemoryInUse(device) is { } used) deviceMemory = Math.Max(deviceMemory ?? 0, used);
        }
        return new BenchResult(config.Model, batch, config.Precision, config.ChannelsLast == true,
            2.0 * batch * steps * rounds / trainTime.TotalSeconds,
            (double)batch * augmentCalls / augmentTime.TotalSeconds,
            memory.ToArray(), ProcessMemory.Read().PeakResidentBytes, deviceMemory, trainFlops);
    }

    private static string[] ParseList(string text, string[] allowed, string flag)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant()).Distinct().ToArray();
        if (values.Length == 0 || values.Any(v => !allowed.Contains(v)))
            throw new CliUsageException($"{flag}: '{text}' is not a comma-separated list of {string.Join(", ", allowed)}.");
        return values;
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
