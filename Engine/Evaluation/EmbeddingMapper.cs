using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// Makes a run's embedding maps: picks the sample once (seeded, from the test split or, without one, the train split),
/// then at each evaluation extracts its features, projects them (<see cref="EmbeddingProjection"/>) and stores the map.
/// </summary>
public sealed class EmbeddingMapper : IDisposable
{
    /// <summary>Sample size when a run made no maps of its own and one is asked for from its checkpoint.</summary>
    public const int DefaultImages = 300;

    private readonly ImageDataset _sample;
    private readonly EmbeddingMapStore _store;
    private readonly int _imageSize;
    private readonly Normalization _normalization;
    private readonly Device _device;
    private EmbeddingMap? _previous;

    private EmbeddingMapper(ImageDataset sample, EmbeddingMapStore store, int imageSize, Normalization normalization, Device device)
    {
        (_sample, _store, _imageSize, _normalization, _device) = (sample, store, imageSize, normalization, device);
    }

    /// <param name="startEpoch">Epochs trained before this (a resume): later maps are removed, to be made again.</param>
    public static EmbeddingMapper ForTraining(TrainingConfig config, DatasetSplits data, Normalization normalization, Device device, EmbeddingMapStore store, int startEpoch)
    {
        var source = data.Test ?? data.Train;
        var sample = source.Subset(Math.Min(config.EmbeddingMapImages, source.Count), config.Seed + 17);
        // A split no larger than the sample is the sample: copied, so that the mapper owns what it disposes.
        if (ReferenceEquals(sample, source)) sample = new ImageDataset(source.Images.clone(), source.Labels?.ToArray(), source.ClassNames, source.Source);
        var mapper = new EmbeddingMapper(sample, store, config.ImageSize, normalization, device);
        if (!store.HasSample) mapper.SaveSample(source.Source);
        store.DeleteAfter(startEpoch);
        mapper._previous = store.Epochs().LastOrDefault() is int last and > 0 ? store.ReadMap(last) : null;
        return mapper;
    }

    /// <summary>
    /// The map of a checkpoint's encoder, for the epochs it has trained: on the run's own sample (read back from its lossless
    /// atlas) or, for a run that made none, a sample picked now from its data.
    /// </summary>
    public static async Task<EmbeddingMap> MapCheckpointAsync(string checkpointPath, EmbeddingMapStore store, DatasetLoader loader, CancellationToken cancellationToken = default)
    {
        using var model = TrainedModel.Load(checkpointPath, "cpu");
        var config = model.Config;
        int epochs = model.Position.Epoch;
        EmbeddingMapper mapper;
        if (store.ReadSample() is { } sample && store.HasSample)
            mapper = new EmbeddingMapper(store.ReadSampleImages(sample), store, config.ImageSize, model.Normalization, model.Device);
        else
        {
            var mapped = config with { EmbeddingMapImages = config.EmbeddingMapImages > 0 ? config.EmbeddingMapImages : DefaultImages };
            using var data = await loader.LoadAsync(mapped, cancellationToken);
            mapper = ForTraining(mapped, data, model.Normalization, model.Device, store, startEpoch: int.MaxValue);
        }
        using (mapper)
        {
            mapper._previous = store.Epochs().Where(e => e < epochs).LastOrDefault() is int earlier and > 0 ? store.ReadMap(earlier) : null;
            return mapper.Map(epochs, model.Network.Encoder, cancellationToken);
        }
    }

    public int Count => _sample.Count;

    /// <param name="epochsTrained">Epochs trained so far (1 after the first).</param>
    public EmbeddingMap Map(int epochsTrained, Encoder encoder, CancellationToken cancellationToken = default)
    {
        using var features = FeatureExtractor.Extract(encoder, _sample, _normalization, _imageSize, _device, cancellationToken: cancellationToken);
        var map = EmbeddingProjection.Project(epochsTrained, features, _previous);
        _store.SaveMap(map);
        _previous = map;
        return map;
    }

    private void SaveSample(string source)
    {
        int columns = (int)Math.Ceiling(Math.Sqrt(_sample.Count));
        var labels = _sample.Labels?.Select(l => (int)l).ToList();
        _store.SaveSample(new EmbeddingSample(_sample.Count, _sample.Height, columns, _sample.ClassNames, labels, source),
            HostArrays.ToArray<byte>(_sample.Images));
    }

    public void Dispose() => _sample.Dispose();
}
