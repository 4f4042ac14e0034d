using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// A few training images of a config's dataset, picked by seed and spread over the classes, at the config's
/// image size, read without loading the whole dataset where its layout allows (image folders decode only
/// the picked files).
/// </summary>
public static class SampleImages
{
    public static ImageDataset Pick(TrainingConfig config, int count, long seed, CancellationToken cancellationToken = default)
    {
        var picked = FolderCensus.SplitFolders(config) is { } folders
            ? FromFolder(FolderCensus.Take(folders.Train, cancellationToken), config.ImageSize, count, seed, cancellationToken)
            : FromDataset(LoadTrainSplit(config, count, seed), count, seed);
        return DatasetLoader.Resize(picked, config.ImageSize);
    }

    private static ImageDataset LoadTrainSplit(TrainingConfig config, int count, long seed) => config.Dataset switch
    {
        DatasetNames.Synthetic => SyntheticDataset.Generate(count, config.ImageSize, seed, "synthetic stripes"),
        DatasetNames.FashionMnist when IdxDataset.HasFashionMnist(config.DataDir ?? IdxDataset.DebianFolder) =>
            IdxDataset.LoadFashionMnist(config.DataDir ?? IdxDataset.DebianFolder).TakeTrain(),
        DatasetNames.Cifar10 when config.DataDir is not null && Cifar10Binary.FindBatchFolder(config.DataDir) is { } batches =>
            Cifar10Binary.Read(Cifar10Binary.TrainFiles.Select(f => Path.Combine(batches, f)).ToList(), "CIFAR-10 train"),
        _ => throw new DataNotFoundException($"no {config.Dataset} images were found at {config.DataDir ?? "the default location"} to preview."),
    };

    private static ImageDataset TakeTrain(this DatasetSplits splits)
    {
        splits.Test?.Dispose();
        return splits.Train;
    }

    /// <summary>Round robin over the classes (in a seeded order), a seeded random image of each.</summary>
    private static IReadOnlyList<int> Spread(IReadOnlyList<int> labels, int classCount, int count, long seed)
    {
        var random = new Random(unchecked((int)seed));
        var byClass = Enumerable.Range(0, Math.Max(1, classCount)).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Count; i++) byClass[Math.Max(0, labels[i])].Add(i);
        foreach (var members in byClass) random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(members));
        var order = byClass.Where(c => c.Count > 0).ToArray();
        random.Shuffle(order);
        var chosen = new List<int>(count);
        for (int round = 0; chosen.Count < count && order.Any(c => c.Count > round); round++)
            foreach (var members in order)
                if (members.Count > round && chosen.Count < count) chosen.Add(members[round]);
        return chosen;
    }

    private static ImageDataset FromDataset(ImageDataset dataset, int count, long seed)
    {
        using var all = dataset;
        var labels = dataset.Labels?.Select(l => (int)l).ToArray() ?? new int[dataset.Count];
        var chosen = Spread(labels, dataset.ClassNames.Count, count, seed);
        using var index = tensor(chosen.Select(i => (long)i).ToArray());
        return new ImageDataset(dataset.Images.index_select(0, index), dataset.Labels is null ? null : chosen.Select(i => dataset.Labels[i]).ToArray(),
            dataset.ClassNames, dataset.Source);
    }

    private static ImageDataset FromFolder(FolderCensus census, int imageSize, int count, long seed, CancellationToken cancellationToken)
    {
        var files = census.IsLabelled
            ? census.Classes.SelectMany((c, label) => c.Images.Select(path => (Path: path, Label: label))).ToList()
            : census.LooseImages.Select(path => (Path: path, Label: -1)).ToList();
        if (files.Count == 0) throw new DataFormatException(census.SplitDir, "contains no images to preview.");
        var chosen = Spread(files.Select(f => f.Label).ToList(), census.Classes.Count, count, seed);
        var pixels = new byte[chosen.Count * 3 * imageSize * imageSize];
        for (int i = 0; i < chosen.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImageFolderDataset.DecodeInto(files[chosen[i]].Path, imageSize, pixels.AsSpan(i * 3 * imageSize * imageSize, 3 * imageSize * imageSize));
        }
        var images = tensor(pixels, [chosen.Count, 3, imageSize, imageSize]);
        long[]? labels = census.IsLabelled ? chosen.Select(i => (long)files[i].Label).ToArray() : null;
        return new ImageDataset(images, labels, census.Classes.Select(c => c.Name).ToList(), census.SplitDir);
    }
}
