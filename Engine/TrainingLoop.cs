using TorchSharp;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Health;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine;

/// <summary>
/// Trains the config's self-supervised method (<see cref="SslMethods"/>): epochs of shuffled batches,
/// one <see cref="TrainingStep"/> each, kNN evaluation and checkpoints between epochs, a linear
/// probe at the end. Reports progress as events; on cancellation it saves a checkpoint at the
/// exact batch and stops.
/// </summary>
public sealed class TrainingLoop(DatasetLoader? loader = null)
{
    private readonly DatasetLoader _loader = loader ?? new DatasetLoader();

    public async IAsyncEnumerable<TrainingEvent> RunAsync(TrainingConfig requestedConfig, TrainingLoopOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var resumeFrom = options.ResumeFrom is { } resumePath ? TrainingCheckpoint.ReadPosition(resumePath) : null;
        var config = resumeFrom is null ? requestedConfig : options.ResumeWithConfig ?? resumeFrom.Config;
        TrainingConfigValidator.ThrowIfInvalid(config);
        DeviceSelector.ApplyThreads(config.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        // A checkpoint keeps the resolved choice, so a resumed run computes exactly as before.
        var runtime = RuntimeChoice.Resolve(config, device);
        config = runtime.ApplyTo(config);
        DeviceSelector.ThrowIfPrecisionUnsupported(config.Precision, device);
        DeviceSelector.UseFastKernels(device);
        var runWatch = Stopwatch.StartNew();

        using var data = await _loader.LoadAsync(config, cancellationToken);
        var train = data.Train;
        int stepsPerEpoch = StepsPerEpoch(train.Count, config);
        if (stepsPerEpoch == 0)
            throw new InvalidConfigException([new ConfigError(nameof(config.BatchSize),
                $"{config.BatchSize} is larger than the {train.Count} training images, and the last partial batch is dropped; lower the batch size.")]);

        manual_seed(config.Seed);
        var normalization = resumeFrom?.Normalization ?? Normalization.Compute(train.Images, cancellationToken);
        using var session = TrainingSession.Create(config, normalization, device);
        var (method, optimizer, step, network) = (session.Method, session.Optimizer, session.Step, session.Method.Online);
        if (options.ResumeFrom is not null) TrainingCheckpoint.Load(options.ResumeFrom, method, optimizer);
        using var batches = new DeviceBatches(train.Images, device);
        int metricsEvery = options.StepMetricsEveryOn(device);
        var evaluator = new EncoderEvaluator(config, normalization, device);
        var schedule = WarmupCosineSchedule.For(config, stepsPerEpoch);
        var weightDecay = WarmupCosineSchedule.WeightDecayFor(config, stepsPerEpoch);
        long totalSteps = (long)stepsPerEpoch * config.Epochs;
        bool evaluate = EncoderEvaluator.CanEvaluate(data);
        string? checkpointPath = options.CheckpointDir is { } dir ? Path.Combine(dir, TrainingCheckpoint.LatestFileName) : null;
        using var mapper = options.CheckpointDir is { } runFolder && config.EmbeddingMapImages > 0 && config.KnnEveryEpochs > 0
            ? EmbeddingMapper.ForTraining(config, data, normalization, device, new EmbeddingMapStore(runFolder), resumeFrom?.Epoch ?? 0)
            : null;

        int startEpoch = resumeFrom?.Epoch ?? 0;
        int startBatch = resumeFrom?.BatchInEpoch ?? 0;
        long globalStep = resumeFrom?.GlobalStep ?? 0;
        yield return new RunStarted(device.ToString(), DeviceSelector.Describe(device), batches.Placement.ToString(), config.Model,
            Count(network.Encoder), Count(network), train.Source, train.Count, data.Test?.Source, data.Test?.Count ?? 0,
            stepsPerEpoch, startEpoch, startBatch, globalStep, resumeFrom is not null, runtime.Precision, runtime.ChannelsLast, runtime.Reason, config.Method);

        using var generator = new Generator(0);
        var monitor = new HealthMonitor();
        double lastLoss = double.NaN;
        double? lastKnn = null;
        var remaining = new RemainingTimeEstimate(config);

        // A run stopped while evaluating an epoch it had trained resumes with that evaluation, so no kNN point or map is lost.
        bool pendingEvaluation = resumeFrom is { EvaluationPending: true, BatchInEpoch: 0, Epoch: > 0 };
        for (int epoch = pendingEvaluation ? startEpoch - 1 : startEpoch; epoch < config.Epochs; epoch++)
        {
            bool evaluationOnly = pendingEvaluation && epoch == startEpoch - 1;
            if (!evaluationOnly)
            {
                var order = EpochOrder(train.Count, config.Seed, epoch);
                bool resumingThisEpoch = resumeFrom is not null && epoch == startEpoch;
                int firstBatch = resumingThisEpoch ? startBatch : 0;
                double lossSum = resumingThisEpoch ? resumeFrom!.EpochLossSum : 0;
                int lossCount = resumingThisEpoch ? resumeFrom!.EpochLossCount : 0;
                if (resumingThisEpoch && firstBatch > 0) TrainingCheckpoint.RestoreGenerator(generator, resumeFrom!.AugmentationGeneratorState);
                else generator.manual_seed(unchecked(config.Seed * 1_000_003 + epoch));

                var epochWatch = Stopwatch.StartNew();
                // Steps run asynchronously on a GPU; only a loss read waits for them, so throughput is
                // measured between loss reads rather than per step.
                var reportWatch = Stopwatch.StartNew();
                long imagesSinceReport = 0;
                long epochImages = 0;
                for (int batch = firstBatch; batch < stepsPerEpoch; batch++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        var position = new TrainingPosition(config, epoch, batch, globalStep, normalization, Convert.ToBase64String(TrainingCheckpoint.GeneratorState(generator)), lossSum, lossCount);
                        if (checkpointPath is not null) TrainingCheckpoint.Save(checkpointPath, position, method, optimizer);
                        yield return new RunStopped(epoch, batch, checkpointPath);
                        yield break;
                    }

                    int batchSize = Math.Min(config.BatchSize, train.Count - batch * config.BatchSize);
                    double lr = schedule.RateAt(globalStep);
                    optimizer.LearningRate = lr;
                    if (weightDecay is not null) optimizer.WeightDecay = weightDecay.RateAt(globalStep);
                    StepResult result;
                    bool measureHealth = config.HealthEverySteps > 0 && (globalStep + 1) % config.HealthEverySteps == 0;
                    using (var images = batches.Gather(order.AsSpan(batch * config.BatchSize, batchSize).ToArray()))
                    {
                        result = step.Run(images, generator, new TrainingProgress(globalStep + 1, totalSteps),
                            readLoss: (globalStep + 1) % metricsEvery == 0 || batch == stepsPerEpoch - 1, measureHealth: measureHealth);
                    }
                    globalStep++;
                    epochImages += (long)method.Views.Count * batchSize;
                    imagesSinceReport += (long)method.Views.Count * batchSize;
                    if (result is { Health: { } health, GradientNorm: { } gradientNorm })
                    {
                        yield return new HealthMeasured(epoch, globalStep, health, gradientNorm);
                        if (monitor.Observe(health, gradientNorm) is { } issue) yield return new HealthWarning(epoch, globalStep, issue.Code, issue.Message);
                    }
                    if (result.Loss is not { } value) continue;
                    if (!double.IsFinite(value))
                        throw new TrainingDivergedException($"The loss became {value} at epoch {epoch + 1}, step {batch + 1}; lower the learning rate or check the data.");
                    lossSum += value;
                    lossCount++;
                    lastLoss = value;
                    double imagesPerSecond = imagesSinceReport / reportWatch.Elapsed.TotalSeconds;
                    imagesSinceReport = 0;
                    reportWatch.Restart();
                    yield return new StepCompleted(epoch, batch, stepsPerEpoch, globalStep, value, lr, imagesPerSecond);
                }

                var duration = epochWatch.Elapsed;
                remaining.Add(epoch, duration, (stepsPerEpoch - firstBatch) / (double)stepsPerEpoch);
                yield return new EpochCompleted(epoch, config.Epochs, lossSum / Math.Max(1, lossCount),
                    schedule.RateAt(globalStep - 1), epochImages / duration.TotalSeconds, duration, remaining.After(epoch + 1),
                    ProcessMemory.Read().ResidentBytes, DeviceSelector.MemoryInUse(device));
                if (monitor.ObserveEpoch(epochImages / duration.TotalSeconds, ProgressiveResolution.PixelsPerImage(config, epoch)) is { } stall) yield return new HealthWarning(epoch, globalStep, stall.Code, stall.Message);
            }

            bool lastEpoch = epoch == config.Epochs - 1;
            if (evaluate && config.KnnEveryEpochs > 0 && ((epoch + 1) % config.KnnEveryEpochs == 0 || lastEpoch))
            {
                var knn = Cancellable(() => evaluator.Knn(epoch, network.Encoder, data, cancellationToken), cancellationToken);
                if (knn is null)
                {
                    // Cancelled while evaluating: the epoch's training is done, so keep it, and evaluate it on resuming.
                    var position = new TrainingPosition(config, epoch + 1, 0, globalStep, normalization, "", 0, 0, EvaluationPending: true);
                    if (checkpointPath is not null) TrainingCheckpoint.Save(checkpointPath, position, method, optimizer);
                    yield return new RunStopped(epoch + 1, 0, checkpointPath);
                    yield break;
                }
                lastKnn = knn.Top1;
                yield return knn;
                if (monitor.ObserveKnn(knn.Top1) is { } plateau) yield return new HealthWarning(epoch, globalStep, plateau.Code, plateau.Message);
            }
            if (mapper is not null && ((epoch + 1) % config.KnnEveryEpochs == 0 || lastEpoch))
            {
                var map = Cancellable(() => mapper.Map(epoch + 1, network.Encoder, cancellationToken), cancellationToken);
                if (map is null)
                {
                    var position = new TrainingPosition(config, epoch + 1, 0, globalStep, normalization, "", 0, 0, EvaluationPending: true);
                    if (checkpointPath is not null) TrainingCheckpoint.Save(checkpointPath, position, method, optimizer);
                    yield return new RunStopped(epoch + 1, 0, checkpointPath);
                    yield break;
                }
                yield return new EmbeddingMapped(epoch, map.X.Count, map.ExplainedVariance);
            }
            if (checkpointPath is not null && ((config.CheckpointEveryEpochs > 0 && (epoch + 1) % config.CheckpointEveryEpochs == 0) || lastEpoch))
            {
                var position = new TrainingPosition(config, epoch + 1, 0, globalStep, normalization, "", 0, 0);
                TrainingCheckpoint.Save(checkpointPath, position, method, optimizer);
                yield return new CheckpointSaved(epoch + 1, 0, checkpointPath);
            }
        }

        double? linear = null;
        if (evaluate && config.LinearProbe)
        {
            // The last epoch's checkpoint is already saved; a resume after a cancelled probe runs only the probe.
            var probes = Cancellable(() => evaluator.LinearProbes(config.Epochs - 1, network.Encoder, data, cancellationToken), cancellationToken);
            if (probes is null)
            {
                yield return new RunStopped(config.Epochs, 0, checkpointPath);
                yield break;
            }
            linear = probes[0].Top1;
            foreach (var probe in probes) yield return probe;
            foreach (var fraction in config.FineTuneEpochs > 0 ? EvaluationKinds.LabelFractions : [])
            {
                var fineTune = Cancellable(() => evaluator.FineTune(config.Epochs - 1, fraction, network.Encoder, data, cancellationToken), cancellationToken);
                if (fineTune is null)
                {
                    yield return new RunStopped(config.Epochs, 0, checkpointPath);
                    yield break;
                }
                yield return fineTune;
            }
        }
        yield return new RunCompleted(config.Epochs, lastLoss, lastKnn, linear, runWatch.Elapsed, checkpointPath);
    }

    public static int StepsPerEpoch(int images, TrainingConfig config)
    {
        int full = images / config.BatchSize;
        int remainder = images % config.BatchSize;
        // NT-Xent needs at least two images; a one-image remainder is always dropped.
        return config.DropLastBatch || remainder < 2 ? full : full + 1;
    }

    /// <summary>The shuffled order of an epoch depends only on (seed, epoch), so a resumed run replays it exactly.</summary>
    public static long[] EpochOrder(int count, long seed, int epoch)
    {
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        new Random(unchecked((int)(seed * 1_000_003 + epoch * 7_919))).Shuffle(order);
        return order;
    }

    /// <summary>Runs an evaluation; null when the run was cancelled during it.</summary>
    private static T? Cancellable<T>(Func<T> evaluation, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return evaluation();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());
}
