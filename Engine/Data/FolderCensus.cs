namespace AspireSimClr.Engine.Data;

/// <summary>
/// The images of one split folder, counted per class without refusing anything, so that problems a run
/// would stop on (an empty class folder, class folders beside loose images) can be reported beforehand.
/// </summary>
public sealed record FolderCensus(string SplitDir, IReadOnlyList<FolderCensus.ClassFolder> Classes, IReadOnlyList<string> LooseImages)
{
    public sealed record ClassFolder(string Name, IReadOnlyList<string> Images);

    public bool IsLabelled => Classes.Count > 0;
    public int ImageCount => Classes.Sum(c => c.Images.Count) + LooseImages.Count;

    public static FolderCensus Take(string splitDir, CancellationToken cancellationToken = default)
    {
        static bool IsImage(string path) => ImageFolderDataset.ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
        var classes = new List<ClassFolder>();
        foreach (var dir in Directory.GetDirectories(splitDir).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            classes.Add(new ClassFolder(Path.GetFileName(dir), Directory.GetFiles(dir).Where(IsImage).Order(StringComparer.Ordinal).ToList()));
        }
        var loose = Directory.GetFiles(splitDir).Where(IsImage).Order(StringComparer.Ordinal).ToList();
        return new FolderCensus(splitDir, classes, loose);
    }

    /// <summary>
    /// The train and test split folders a config's image-folder data reads (the test one null when there is none),
    /// or null when the config's data is not an image folder.
    /// </summary>
    public static (string Train, string? Test)? SplitFolders(TrainingConfig config)
    {
        if (config.DataDir is not { } root || !Directory.Exists(root)) return null;
        bool isFolder = config.Dataset == DatasetNames.ImageFolder
            || (config.Dataset == DatasetNames.Cifar10 && Cifar10Binary.FindBatchFolder(root) is null);
        if (!isFolder) return null;
        var train = Path.Combine(root, "train");
        var test = Path.Combine(root, "test");
        if (!Directory.Exists(train)) return config.Dataset == DatasetNames.ImageFolder ? (root, null) : null;
        return (train, Directory.Exists(test) ? test : null);
    }
}
