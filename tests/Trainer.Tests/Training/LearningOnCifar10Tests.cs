using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Models;
using AspireSimClr.Trainer.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Training;

/// <summary>
/// The small version of the README's learning check, on real CIFAR-10 images: a few epochs of SimCLR
/// on a train subset must lift kNN top-1 on held-out test images clearly above the same encoder at
/// its random initialisation.
/// </summary>
public class LearningOnCifar10Tests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task SimClrLiftsKnnAccuracyAboveRandomInitialisation()
    {
        var config = new TrainingConfig
        {
            Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false,
            TrainSubset = 5000, TestSubset = 2000,
            Model = ModelNames.CompactCnn, BatchSize = 256, Epochs = 8, LearningRate = 2e-3, WarmupEpochs = 0.5,
            KnnEveryEpochs = 8, LinearProbe = false, Threads = 2,
        };

        double baseline;
        using (var data = await new DatasetLoader().LoadAsync(config))
        {
            manual_seed(config.Seed);
            using var network = ProjectionNetwork.Create(config);
            baseline = new EncoderEvaluator(config, Normalization.Compute(data.Train.Images), CPU).Knn(0, network.Encoder, data).Top1;
        }

        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions()));
        double trained = events.OfType<EvaluationCompleted>().Single(e => e.Kind == "knn").Top1;
        var epochLosses = events.OfType<EpochCompleted>().Select(e => e.MeanLoss).ToList();

        output.WriteLine($"kNN top-1 on {config.TestSubset} test images: random init {baseline:P2}, after {config.Epochs} epochs of SimCLR on {config.TrainSubset} images {trained:P2}; epoch losses {string.Join(", ", epochLosses.Select(l => l.ToString("F3")))}");
        Assert.True(epochLosses[^1] < epochLosses[0], $"loss should fall: {string.Join(", ", epochLosses)}");
        Assert.True(trained >= baseline + 0.05, $"kNN top-1 after SimCLR {trained:P2} vs random init {baseline:P2}");
    }
}
