using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Tests.Support;
using SkiaSharp;

namespace AspireSimClr.Trainer.Tests.Training;

public class TrainingLoopTests
{
    [Fact]
    public async Task RunReportsStepsEpochsEvaluationsAndCompletion()
    {
        using var temp = new TempDirectory();
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(TrainingRuns.Quick(), new TrainingLoopOptions { CheckpointDir = temp.Path }));

        var started = Assert.IsType<RunStarted>(events[0]);
        Assert.Equal(3, started.StepsPerEpoch);
        Assert.Equal(6, events.OfType<StepCompleted>().Count());
        Assert.Equal([0, 1], events.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Equal(["knn", "knn", "linear", "linear@1%", "linear@10%"], events.OfType<EvaluationCompleted>().Select(e => e.Kind));
        Assert.All(events.OfType<StepCompleted>(), s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0));
        var completed = Assert.IsType<RunCompleted>(events[^1]);
        Assert.True(File.Exists(completed.CheckpointPath));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public async Task AutoPrecisionIsResolvedForThisMachineReportedAndKeptInTheCheckpoint()
    {
        using var temp = new TempDirectory();
        var config = TrainingRuns.Quick(epochs: 1) with { Precision = PrecisionNames.Auto, ChannelsLast = null, LinearProbe = false };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = temp.Path }));

        var started = Assert.IsType<RunStarted>(events[0]);
        var expected = CpuFeatures.HasNativeBf16 ? PrecisionNames.Bf16 : PrecisionNames.Fp32;
        Assert.Equal(expected, started.Precision);
        Assert.True(started.ChannelsLast, "a CPU computes channels-last in either precision");
        Assert.StartsWith("auto: the CPU", started.RuntimeReason);
        // A resume computes as the run started, even on a machine that would choose differently.
        var position = TrainingCheckpoint.ReadPosition(Path.Combine(temp.Path, TrainingCheckpoint.LatestFileName));
        Assert.Equal((expected, (bool?)true), (position.Config.Precision, position.Config.ChannelsLast));
    }

    [Theory]
    [InlineData(true, 3)]   // 100 images, batch 32: the partial batch of 4 is dropped
    [InlineData(false, 4)]  // ... or trained on
    public async Task LastPartialBatchIsDroppedOrUsed(bool dropLast, int expectedSteps)
    {
        var config = TrainingRuns.Quick(epochs: 1) with { SyntheticTrainSize = 100, DropLastBatch = dropLast, LinearProbe = false };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions()));
        Assert.Equal(expectedSteps, events.OfType<StepCompleted>().Count());
    }

    [Fact]
    public async Task RemainderOfOneImageIsNeverTrainedOn()
    {
        var config = TrainingRuns.Quick(epochs: 1) with { SyntheticTrainSize = 97, DropLastBatch = false, LinearProbe = false };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions()));
        Assert.Equal(3, events.OfType<StepCompleted>().Count());
    }

    [Fact]
    public async Task CancelDuringAnEvaluationStopsItKeepsTheEpochAndResumeFinishesTheRun()
    {
        using var temp = new TempDirectory();
        var config = TrainingRuns.Quick(epochs: 2) with { LinearProbeEpochs = 1000 };

        // Cancelled as epoch 1 ends: its kNN evaluation is skipped, its training kept in a checkpoint.
        using (var stop = new CancellationTokenSource())
        {
            var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = temp.Path }, stop.Token),
                e => e is EpochCompleted { Epoch: 0 }, stop);
            Assert.Empty(events.OfType<EvaluationCompleted>());
            var stopped = Assert.IsType<RunStopped>(events[^1]);
            Assert.Equal((1, 0), (stopped.Epoch, stopped.BatchInEpoch));
            Assert.Equal(1, TrainingCheckpoint.ReadPosition(stopped.CheckpointPath!).Epoch);
        }

        // Resumed and cancelled once the last epoch is saved: the linear probe (1,000 epochs) is cut short.
        var checkpoint = Path.Combine(temp.Path, TrainingCheckpoint.LatestFileName);
        using (var stop = new CancellationTokenSource())
        {
            var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = temp.Path, ResumeFrom = checkpoint }, stop.Token),
                e => e is CheckpointSaved { Epoch: 2 }, stop);
            Assert.DoesNotContain(events, e => e is EvaluationCompleted { Kind: "linear" });
            Assert.Equal(2, Assert.IsType<RunStopped>(events[^1]).Epoch);
        }

        // Resumed again: nothing left to train, only the probe runs.
        var final = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config with { }, new TrainingLoopOptions { CheckpointDir = temp.Path, ResumeFrom = checkpoint }));
        Assert.Empty(final.OfType<StepCompleted>());
        Assert.Equal(["linear", "linear@1%", "linear@10%"], final.OfType<EvaluationCompleted>().Select(e => e.Kind));
        Assert.IsType<RunCompleted>(final[^1]);
    }

    [Fact]
    public async Task CancelDuringFineTuningStopsTheRunAndResumeRunsTheEvaluationsAgainOnTheSavedEncoder()
    {
        using var temp = new TempDirectory();
        var config = TrainingRuns.Quick(epochs: 1) with { FineTuneEpochs = 2 };

        // Cancelled once the first fine-tuning (1 % of the labels) has reported: the second one (10 %) is cut short.
        List<TrainingEvent> first;
        using (var stop = new CancellationTokenSource())
        {
            first = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = temp.Path }, stop.Token),
                e => e is EvaluationCompleted { Kind: "fine-tune@1%" }, stop);
            Assert.Equal(["linear", "linear@1%", "linear@10%", "fine-tune@1%"], first.OfType<EvaluationCompleted>().Where(e => e.Kind != "knn").Select(e => e.Kind));
            Assert.Equal(1, Assert.IsType<RunStopped>(first[^1]).Epoch);
            Assert.DoesNotContain(first, e => e is RunCompleted);
        }

        // Resumed: nothing left to train; the probes and both fine-tunings run on the saved encoder, which the cut-short
        // fine-tuning (on a copy) did not change, so the probes give the first run's figures again.
        var checkpoint = Path.Combine(temp.Path, TrainingCheckpoint.LatestFileName);
        var final = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = temp.Path, ResumeFrom = checkpoint }));
        Assert.Empty(final.OfType<StepCompleted>());
        var evaluations = final.OfType<EvaluationCompleted>().Where(e => e.Kind != "knn").ToList();
        Assert.Equal(["linear", "linear@1%", "linear@10%", "fine-tune@1%", "fine-tune@10%"], evaluations.Select(e => e.Kind));
        Assert.Equal(first.OfType<EvaluationCompleted>().Where(e => e.Kind.StartsWith("linear")).Select(e => e.Top1),
            evaluations.Where(e => e.Kind.StartsWith("linear")).Select(e => e.Top1));
        Assert.IsType<RunCompleted>(final[^1]);
    }

    [Fact]
    public async Task CancelWhileDecodingAnImageFolderStopsTheLoad()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 4; i++)
        {
            Directory.CreateDirectory(temp.Combine("train", "a"));
            using var bitmap = new SKBitmap(8, 8);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(temp.Combine("train", "a", $"{i}.png"), data.ToArray());
        }
        var config = TrainingRuns.Quick() with { Dataset = DatasetNames.ImageFolder, DataDir = temp.Path };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions(), new CancellationToken(canceled: true))));
        Assert.False(Directory.Exists(temp.Combine(".simclr-cache")) && Directory.EnumerateFiles(temp.Combine(".simclr-cache")).Any(), "a cancelled load writes no cache");
    }

    [Fact]
    public async Task DivergingLossFailsTheRunWithItsReason()
    {
        var config = TrainingRuns.Quick(epochs: 1) with { Optimizer = OptimizerNames.Sgd, LearningRate = 100, Temperature = 1e-45, Model = ModelNames.CompactCnn };
        var error = await Assert.ThrowsAsync<TrainingDivergedException>(() => TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions())));
        Assert.Contains("loss became", error.Message);
    }

    [Fact]
    public async Task BatchLargerThanTheDatasetIsAConfigError()
    {
        var config = TrainingRuns.Quick() with { BatchSize = 500 };
        var error = await Assert.ThrowsAsync<InvalidConfigException>(() => TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions())));
        Assert.Equal(nameof(TrainingConfig.BatchSize), error.Errors.Single().Field);
    }

    [Fact]
    public async Task UnlabelledImagesTrainWithEvaluationSkipped()
    {
        using var temp = new TempDirectory();
        var random = new Random(3);
        for (int i = 0; i < 12; i++)
        {
            using var bitmap = new SKBitmap(20, 20);
            bitmap.Erase(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            File.WriteAllBytes(temp.Combine($"img{i}.png"), bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }
        var config = TrainingRuns.Quick(epochs: 1) with { Dataset = DatasetNames.ImageFolder, DataDir = temp.Path, BatchSize = 4 };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions()));
        Assert.Equal(3, events.OfType<StepCompleted>().Count());
        Assert.Empty(events.OfType<EvaluationCompleted>());
        Assert.Null(Assert.IsType<RunCompleted>(events[^1]).KnnTop1);
    }

    [Theory]
    [InlineData(OptimizerNames.Adam, 4)]    // stops mid-epoch
    [InlineData(OptimizerNames.Lars, 3)]    // stops exactly at an epoch boundary
    [InlineData(OptimizerNames.Sgd, 1)]
    [InlineData(OptimizerNames.Adam, 5, PrecisionNames.Bf16, true)]  // the bf16 copy and the layout hold no state of their own
    // Methods with state beside the online network: BYOL's target, MoCo's key encoder and queue.
    [InlineData(OptimizerNames.Lars, 4, PrecisionNames.Fp32, false, MethodNames.Byol)]
    [InlineData(OptimizerNames.Adam, 5, PrecisionNames.Bf16, true, MethodNames.Byol)]
    [InlineData(OptimizerNames.Sgd, 4, PrecisionNames.Fp32, false, MethodNames.MocoV2)]
    [InlineData(OptimizerNames.Adam, 2, PrecisionNames.Bf16, true, MethodNames.MocoV2)]
    [InlineData(OptimizerNames.Adam, 4, PrecisionNames.Fp32, false, MethodNames.Vicreg)]
    [InlineData(OptimizerNames.Lars, 5, PrecisionNames.Bf16, true, MethodNames.BarlowTwins)]
    // Multi-crop: two full-size views and small crops, in two forwards of one step.
    [InlineData(OptimizerNames.Lars, 4, PrecisionNames.Bf16, true, MethodNames.SimClr, 3)]
    [InlineData(OptimizerNames.Adam, 5, PrecisionNames.Fp32, false, MethodNames.Vicreg, 2)]
    // DINO: teacher and centre beside the student, with and without small crops.
    [InlineData(OptimizerNames.Adam, 4, PrecisionNames.Fp32, false, MethodNames.Dino)]
    [InlineData(OptimizerNames.Lars, 5, PrecisionNames.Bf16, true, MethodNames.Dino, 2)]
    // A weight decay that changes every step (a function of the step alone).
    [InlineData(OptimizerNames.Lars, 4, PrecisionNames.Fp32, false, MethodNames.SimClr, 0, 0.1)]
    // Progressive resolution (8, 12, then 16 px): stopped in the second epoch, resumed at its side; with small crops beside.
    [InlineData(OptimizerNames.Lars, 4, PrecisionNames.Bf16, true, MethodNames.SimClr, 2, null, 8)]
    [InlineData(OptimizerNames.Adam, 2, PrecisionNames.Fp32, false, MethodNames.Byol, 0, null, 8)]
    public async Task ResumedRunEndsExactlyWhereAnUninterruptedRunEnds(string optimizer, int stopAfterSteps, string precision = PrecisionNames.Fp32, bool channelsLast = false,
        string method = MethodNames.SimClr, int smallCrops = 0, double? weightDecayEnd = null, int? progressiveResolutionStart = null)
    {
        var config = TrainingRuns.Quick(epochs: 3) with
        {
            Method = method, Optimizer = optimizer, WarmupEpochs = 1, LinearProbe = false, KnnEveryEpochs = 0, Precision = precision, ChannelsLast = channelsLast,
            QueueSize = 80, SolarizeProbability = method == MethodNames.Byol ? 0.3 : 0, SmallCrops = smallCrops, SmallCropSize = 8,
            WeightDecayEnd = weightDecayEnd, ProgressiveResolutionStart = progressiveResolutionStart,
            ProgressiveResolutionEpochs = progressiveResolutionStart is null ? null : 2,
        };
        // Small crops and progressive resolution need an encoder that pools its feature map (tiny-cnn flattens it).
        if (smallCrops > 0 || progressiveResolutionStart is not null) config = config with { Model = ModelNames.CompactCnn };
        using var straightDir = new TempDirectory();
        var straight = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = straightDir.Path }));

        using var interruptedDir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var first = await TrainingRuns.CollectAsync(
            new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = interruptedDir.Path }, stop.Token),
            e => e is StepCompleted s && s.GlobalStep == stopAfterSteps, stop);
        var stopped = Assert.IsType<RunStopped>(first[^1]);
        Assert.NotNull(stopped.CheckpointPath);

        var resumed = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions
        {
            CheckpointDir = interruptedDir.Path,
            ResumeFrom = stopped.CheckpointPath,
        }));
        Assert.True(Assert.IsType<RunStarted>(resumed[0]).Resumed);

        var straightLosses = straight.OfType<StepCompleted>().Select(s => (s.GlobalStep, s.Loss, s.LearningRate)).ToList();
        var joinedLosses = first.Concat(resumed).OfType<StepCompleted>().Select(s => (s.GlobalStep, s.Loss, s.LearningRate)).ToList();
        Assert.Equal(straightLosses, joinedLosses);
        Assert.Equal(straight.OfType<EpochCompleted>().Select(e => e.MeanLoss), first.Concat(resumed).OfType<EpochCompleted>().Select(e => e.MeanLoss));

        using var a = TrainedModel.Load(Path.Combine(straightDir.Path, TrainingCheckpoint.LatestFileName));
        using var b = TrainedModel.Load(Path.Combine(interruptedDir.Path, TrainingCheckpoint.LatestFileName));
        var stateA = a.Network.state_dict();
        var stateB = b.Network.state_dict();
        Assert.Equal(stateA.Keys, stateB.Keys);
        Assert.All(stateA.Keys, k => Assert.True(Tensors.Identical(stateA[k], stateB[k]), $"{k} differs after resuming"));
    }

    [Fact]
    public async Task AWeightDecayScheduleReachesTheOptimizer()
    {
        // Adam with no decay at the start: a schedule rising to 0.5 changes the weights; a constant 0 leaves them as Adam alone moves them.
        var config = TrainingRuns.Quick(epochs: 2) with { Optimizer = OptimizerNames.Adam, WeightDecay = 0, LinearProbe = false, KnnEveryEpochs = 0 };
        async Task<TorchSharp.torch.Tensor> TrainedWeights(TrainingConfig c)
        {
            using var temp = new TempDirectory();
            await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(c, new TrainingLoopOptions { CheckpointDir = temp.Path }));
            using var trained = TrainedModel.Load(Path.Combine(temp.Path, TrainingCheckpoint.LatestFileName));
            return trained.Network.state_dict().First(p => p.Key.EndsWith("weight") && p.Value.dim() > 1).Value.clone();
        }
        using var constant = await TrainedWeights(config);
        using var again = await TrainedWeights(config);
        using var scheduled = await TrainedWeights(config with { WeightDecayEnd = 0.5 });
        Assert.True(Tensors.Identical(constant, again));
        Assert.False(Tensors.Identical(constant, scheduled));
        Assert.True(scheduled.norm().item<float>() < constant.norm().item<float>(), "decay shrinks the weights");
    }

    [Theory]
    [InlineData(null, new long[] { 1, 2, 3, 4, 5, 6 })]   // CPU default: every step
    [InlineData(2, new long[] { 2, 3, 4, 6 })]            // every 2nd step and each epoch's last (3 steps per epoch)
    public async Task TheLossIsReadEveryNStepsAndAtTheEndOfEachEpoch(int? every, long[] expectedSteps)
    {
        var config = TrainingRuns.Quick(epochs: 2) with { LinearProbe = false, KnnEveryEpochs = 0 };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { StepMetricsEvery = every }));
        Assert.Equal(expectedSteps, events.OfType<StepCompleted>().Select(s => s.GlobalStep));
        Assert.All(events.OfType<StepCompleted>(), s => Assert.True(s.ImagesPerSecond > 0));
    }

    [Fact]
    public async Task AskingForCudaWithoutItIsAConfigErrorOnDevice()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // only meaningful where CUDA is absent, as on CI
        var config = TrainingRuns.Quick() with { Device = "cuda" };
        var error = await Assert.ThrowsAsync<InvalidConfigException>(() => TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions())));
        Assert.Equal(nameof(TrainingConfig.Device), error.Errors.Single().Field);
        Assert.Contains("CUDA is not available", error.Message);
    }
}
