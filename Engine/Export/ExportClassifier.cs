using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;

namespace AspireSimClr.Engine.Export;

/// <summary>A linear classifier trained on a checkpoint's frozen features, for an export to include as "logits".</summary>
public sealed record ExportClassifier(LinearClassifier Classifier, IReadOnlyList<string> ClassNames, double? TestTop1)
{
    /// <summary>
    /// Trains on the labelled train split of <paramref name="dataSettings"/> with the run's linear-probe settings and
    /// measures top-1 on its test split when that is labelled. Throws <see cref="UnlabelledDataException"/> without labels.
    /// </summary>
    public static async Task<ExportClassifier> TrainAsync(TrainedModel model, TrainingConfig dataSettings, DatasetLoader loader, CancellationToken cancellationToken = default)
    {
        using var data = await loader.LoadAsync(dataSettings, cancellationToken);
        if (!data.Train.IsLabelled) throw new UnlabelledDataException($"'{dataSettings.Dataset}' has no labels to train a classifier on.");
        var (config, encoder) = (model.Config, model.Network.Encoder);
        using var train = FeatureExtractor.Extract(encoder, data.Train, model.Normalization, config.ImageSize, model.Device, cancellationToken: cancellationToken);
        var classifier = LinearProbe.Train(train, data.Train.Labels!, data.Train.ClassNames.Count, config.LinearProbeEpochs, config.LinearProbeLearningRate, config.Seed, cancellationToken: cancellationToken);
        double? top1 = null;
        if (data.Test is { IsLabelled: true } test)
        {
            using var features = FeatureExtractor.Extract(encoder, test, model.Normalization, config.ImageSize, model.Device, cancellationToken: cancellationToken);
            top1 = classifier.Top1(features, test.Labels!);
        }
        return new ExportClassifier(classifier, data.Train.ClassNames, top1);
    }
}

public sealed class UnlabelledDataException(string message) : Exception(message);
