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
            return new EvaluationCompleted(epoch, EvaluationKinds.Knn, top1, data.Train.Count, data.Test.Count, watch.Elapsed);
        }
    }

    /// <summary>
    /// The linear probe on every training label ("linear") and, with <see cref="TrainingConfig.LabelEfficiency"/>, on
    /// class-balanced shares of them ("linear@1%", "linear@10%"), on one extraction of the features.
    /// Throws <see cref="OperationCanceledException"/> within one mini-batch of a cancellation.
    /// </summary>
    public IReadOnlyList<EvaluationCompleted> LinearProbes(int epoch, Encoder encoder, DatasetSplits data, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var (train, test) = Features(encoder, data, cancellationToken);
        using (train)
        using (test)
        {
            var labels = data.Train.Labels!;
            int classes = data.Train.ClassNames.Count;
            double top1 = LinearProbe.Top1(train, labels, test, data.Test!.Labels!, classes,
                config.LinearProbeEpochs, config.LinearProbeLearningRate, config.Seed, cancellationToken: cancellationToken);
            var results = new List<EvaluationCompleted> { new(epoch, EvaluationKinds.Linear, top1, data.Train.Count, data.Test.Count, watch.Elapsed) };
            if (!config.LabelEfficiency) return results;
            foreach (var fraction in EvaluationKinds.LabelFractions)
            {
                watch.Restart();
                var subset = BalancedLabelSubset.Draw(labels, classes, fraction, config.Seed);
                using var index = tensor(subset.Select(i => (long)i).ToArray(), device: train.device);
                using var features = train.index_select(0, index);
                double share = LinearProbe.Top1(features, [.. subset.Select(i => labels[i])], test, data.Test.Labels!, classes,
                    config.LinearProbeEpochs, config.LinearProbeLearningRate, config.Seed, cancellationToken: cancellationToken);
                results.Add(new EvaluationCompleted(epoch, EvaluationKinds.WithLabels(EvaluationKinds.Linear, fraction), share, subset.Length, data.Test.Count, watch.Elapsed));
            }
            return results;
        }
    }

    /// <summary>
    /// Fine-tuning a copy of the encoder with a linear head on a class-balanced share of the training labels for
    /// <see cref="TrainingConfig.FineTuneEpochs"/> epochs ("fine-tune@1%"). The encoder itself is not changed.
    /// </summary>
    public EvaluationCompleted FineTune(int epoch, double fraction, Encoder encoder, DatasetSplits data, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var subset = BalancedLabelSubset.Draw(data.Train.Labels!, data.Train.ClassNames.Count, fraction, config.Seed);
        using var copy = EncoderFactory.Create(config.Model, config.ImageSize, config.EncoderWidth);
        copy.load_state_dict(encoder.state_dict());
        double top1 = FineTuning.Top1(copy, data.Train, subset, data.Test!, normalization, config.ImageSize, device,
            config.FineTuneEpochs, config.FineTuneLearningRate, config.Seed, cancellationToken);
        return new EvaluationCompleted(epoch, EvaluationKinds.WithLabels(EvaluationKinds.FineTune, fraction), top1, subset.Length, data.Test!.Count, watch.Elapsed);
    }
}
