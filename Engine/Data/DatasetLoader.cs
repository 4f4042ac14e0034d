using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>Finds and loads the dataset a config names, in whichever accepted layout is present.</summary>
public sealed class DatasetLoader(HttpClient? http = null)
{
    public async Task<DatasetSplits> LoadAsync(TrainingConfig config, CancellationToken cancellationToken = default)
    {
        var splits = config.Dataset switch
        {
            DatasetNames.Synthetic => SyntheticDataset.Create(config.SyntheticTrainSize, config.SyntheticTestSize, config.ImageSize, config.Seed),
            DatasetNames.Cifar10 => await LoadCifar10Async(config, cancellationToken),
            DatasetNames.FashionMnist => LoadFashionMnist(config),
            DatasetNames.ImageFolder => LoadImageFolder(Required(config.DataDir), config, expectedClasses: null, cancellationToken),
            _ => throw new InvalidConfigException([new ConfigError(nameof(config.Dataset), $"unknown dataset '{config.Dataset}'.")]),
        };
        return ApplySubsetsAndSize(splits, config);
    }

    /// <summary>Where each dataset's files are looked for, and whether they are there (for listings and errors).</summary>
    public static bool IsPresent(string dataset, string? dataDir) => dataset switch
    {
        DatasetNames.Synthetic => true,
        DatasetNames.Cifar10 => dataDir is not null && (Cifar10Binary.FindBatchFolder(dataDir) is not null || Directory.Exists(Path.Combine(dataDir, "train"))),
        DatasetNames.FashionMnist => IdxDataset.HasFashionMnist(dataDir ?? IdxDataset.DebianFolder),
        DatasetNames.ImageFolder => dataDir is not null && Directory.Exists(dataDir),
        _ => false,
    };

    private async Task<DatasetSplits> LoadCifar10Async(TrainingConfig config, CancellationToken cancellationToken)
    {
        var dataDir = Required(config.DataDir);
        if (Cifar10Binary.FindBatchFolder(dataDir) is { } batches) return Cifar10Binary.Load(batches);
        if (Directory.Exists(Path.Combine(dataDir, "train")))
            return LoadImageFolder(dataDir, config, Cifar10Binary.ClassNames, cancellationToken);

        string? downloadError = null;
        if (config.Download)
        {
            try
            {
                using var ownClient = http is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(30) } : null;
                var folder = await new Cifar10Download(http ?? ownClient!).DownloadAsync(dataDir, cancellationToken);
                return Cifar10Binary.Load(folder);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException { InnerException: TimeoutException })
            {
                downloadError = ex.Message;
            }
        }
        throw new DataNotFoundException(
            $"CIFAR-10 was not found in {Path.GetFullPath(dataDir)}. Looked for the binary release " +
            $"({Path.Combine(dataDir, Cifar10Binary.FolderName)}/data_batch_1..5.bin and test_batch.bin, or those files in the folder itself) " +
            $"and for an image folder ({Path.Combine(dataDir, "train")}/<class>/*.jpg and test/<class>/*.jpg with the ten CIFAR-10 classes). " +
            (config.Download
                ? $"Downloading {Cifar10Download.OfficialUrl} failed: {downloadError} "
                : "Downloading is switched off. ") +
            $"Get cifar-10-binary.tar.gz from {Cifar10Download.OfficialUrl} (MD5 {Cifar10Download.OfficialMd5}) and extract it into {dataDir}.");
    }

    private static DatasetSplits LoadFashionMnist(TrainingConfig config)
    {
        var folder = config.DataDir ?? IdxDataset.DebianFolder;
        if (!IdxDataset.HasFashionMnist(folder))
            throw new DataNotFoundException(
                $"Fashion-MNIST was not found in {folder}: it needs train-images-idx3-ubyte, train-labels-idx1-ubyte, " +
                "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may be .gz). " +
                "On Debian: apt-get install dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist).");
        return IdxDataset.LoadFashionMnist(folder);
    }

    private static DatasetSplits LoadImageFolder(string root, TrainingConfig config, IReadOnlyList<string>? expectedClasses, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root)) throw new DataNotFoundException($"Image folder {Path.GetFullPath(root)} does not exist.");
        var cacheDir = config.CacheDir ?? Path.Combine(root, ".simclr-cache");
        var trainDir = Path.Combine(root, "train");
        var testDir = Path.Combine(root, "test");
        bool hasSplits = Directory.Exists(trainDir);
        var train = ImageFolderDataset.Load(hasSplits ? trainDir : root, config.ImageSize, cacheDir, expectedClasses, cancellationToken);
        ImageDataset? test = null;
        if (hasSplits && Directory.Exists(testDir) && train.IsLabelled)
        {
            test = ImageFolderDataset.Load(testDir, config.ImageSize, cacheDir, train.ClassNames, cancellationToken);
            if (!test.IsLabelled) { test.Dispose(); test = null; }
        }
        return new DatasetSplits(train, test);
    }

    private static DatasetSplits ApplySubsetsAndSize(DatasetSplits splits, TrainingConfig config)
    {
        var train = Prepare(splits.Train, config.TrainSubset, config.ImageSize, config.Seed);
        var test = splits.Test is null ? null : Prepare(splits.Test, config.TestSubset, config.ImageSize, config.Seed + 1);
        return new DatasetSplits(train, test);
    }

    private static ImageDataset Prepare(ImageDataset dataset, int? subset, int imageSize, long seed)
    {
        var result = subset is { } n ? dataset.Subset(n, seed) : dataset;
        if (!ReferenceEquals(result, dataset)) dataset.Dispose();
        return Resize(result, imageSize);
    }

    /// <summary>The dataset at <paramref name="imageSize"/> × <paramref name="imageSize"/> (antialiased bilinear), disposing the original when resized.</summary>
    public static ImageDataset Resize(ImageDataset result, int imageSize)
    {
        if (result.Height == imageSize && result.Width == imageSize) return result;

        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var asFloat = result.Images.to_type(ScalarType.Float32);
            var resized = nn.functional.interpolate(asFloat, [imageSize, imageSize], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
            var images = resized.round_().clamp_(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
            var prepared = new ImageDataset(images, result.Labels, result.ClassNames, $"{result.Source}, resized to {imageSize}px");
            result.Dispose();
            return prepared;
        }
    }

    private static string Required(string? dataDir) =>
        dataDir ?? throw new InvalidConfigException([new ConfigError(nameof(TrainingConfig.DataDir), "is required for this dataset.")]);
}
