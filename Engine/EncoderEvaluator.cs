using System.Diagnostics;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine;

/// <summary>kNN and linear-probe evaluation of an encoder's representations on a labelled train/test pair.</summary>
public sealed class EncoderEvaluator(TrainingConfig config, Normalization normalization, Device device)
{
    public static bool CanEvaluate(DatasetSplits data) =>
        data.Train.IsLabelled && data.Test is { IsLabelled: true };

    public (Tensor Train, Tensor Test) Features(Encoder encoder, DatasetSplits data, CancellationToken cancellationToken = default)
    {
        var train = FeatureExtractor.Extract(encoder, data.Train, normalization, config.ImageSize, device, cancellationToken: cancellationToken);
        try
        {
            return (train, FeatureExtractor.Extract(encoder, data.Test!, normalization, config.ImageSize, device, cancellationToken: cancellationToken));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> within one batch of a cancellation.</summary>
    public EvaluationCompleted Knn(int epoch, Encoder encoder, DatasetSplits data, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var (train, test) = Features(encoder, data, cancellationToken);
        using (train)
        using (test)
        {
            double top1 = KnnClassifier.Top1(train, data.Train.Labels!, test, data.Test!.Labels!, data.Train.ClassNames.Count, config.KnnK, config.KnnTemperature, cancellationToken: cancellationToken);
            return new EvaluationCompleted(epoch, "knn", top1, data.Train.Count, data.Test.Count, watch.Elapsed);
        }
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> within one mini-batch of a cancellation.</summary>
    public EvaluationCompleted Linear(int epoch, Encoder encoder, DatasetSplits data, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var (train, test) = Features(encoder, data, cancellationToken);
        using (train)
        using (test)
        {
            double top1 = LinearProbe.Top1(train, data.Train.Labels!, test, data.Test!.Labels!, data.Train.ClassNames.Count,
                config.LinearProbeEpochs, config.LinearProbeLearningRate, config.Seed, cancellationToken: cancellationToken);
            return new EvaluationCompleted(epoch, "linear", top1, data.Train.Count, data.Test.Count, watch.Elapsed);
        }
    }
}
