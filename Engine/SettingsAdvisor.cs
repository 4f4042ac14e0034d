using AspireSimClr.Engine.Data;

namespace AspireSimClr.Engine;

/// <summary>
/// Warnings about settings and data that a run accepts but that make self-supervised training fail or
/// learn poorly, each with the reason; the API's validation refuses what cannot run at all.
/// </summary>
public static class SettingsAdvisor
{
    /// <summary>Below this many images per batch SimCLR has few negatives per positive pair.</summary>
    public const int FewNegativesBatch = 128;
    /// <summary>Above this fraction of view pairs with disjoint crops the views too often share nothing.</summary>
    public const double DisjointCropsLimit = 0.2;
    /// <summary>A largest class with this many times the images of the smallest counts as unbalanced.</summary>
    public const double ImbalanceRatio = 5;

    /// <param name="overlap">The crop overlap of the config's first two views (<see cref="Augmentation.CropOverlap"/>).</param>
    /// <param name="train">The train split folder's census when the data is an image folder, else null.</param>
    /// <param name="test">The test split folder's census, null when there is none (or the data is not a folder).</param>
    public static IReadOnlyList<SettingAdvice> Advise(TrainingConfig config, ViewOverlap overlap, FolderCensus? train, FolderCensus? test)
    {
        var advice = new List<SettingAdvice>();
        void Add(string code, string field, string message) => advice.Add(new SettingAdvice(code, field, message));

        if (config.Method == MethodNames.SimClr && config.BatchSize < FewNegativesBatch)
            Add("few-negatives", "batchSize",
                $"a batch of {config.BatchSize} gives each positive pair only {2 * config.BatchSize - 2} negatives; SimCLR learns less with fewer negatives " +
                "(Chen et al. 2020, Fig. 9). Use 256 or more, or MoCo v2, whose queue supplies negatives whatever the batch.");
        if (overlap.ShareNothing > DisjointCropsLimit)
            Add("views-share-nothing", "cropScaleMin",
                $"{overlap.ShareNothing:P0} of view pairs are crops that do not overlap at all (mean IoU {overlap.MeanIou:0.00}): such pairs have nothing " +
                "in common to agree on. Raise the smallest crop area (SimCLR's default is 0.08 to 1).");
        bool noColour = config.ColorJitterProbability == 0 || config.Brightness + config.Contrast + config.Saturation + config.Hue == 0;
        if (noColour)
            Add("no-colour-distortion", "colorJitterProbability",
                "without colour jitter, two crops of one image can be matched by their colour histograms alone and the encoder learns little else " +
                "(Chen et al. 2020, §3.3 and Fig. 6).");

        if (train is not null) AdviseOnFolders(config, train, test, Add);
        return advice;
    }

    private static void AdviseOnFolders(TrainingConfig config, FolderCensus train, FolderCensus? test, Action<string, string, string> add)
    {
        foreach (var (census, split) in new[] { (train, "train"), (test, "test") })
        {
            if (census is null) continue;
            if (census.Classes.Count > 0 && census.LooseImages.Count > 0)
                add("mixed-layout", "dataDir", $"the {split} folder {census.SplitDir} has class folders and {census.LooseImages.Count} loose images; a run stops on it. Use one layout.");
            foreach (var empty in census.Classes.Where(c => c.Images.Count == 0))
                add("empty-class-folder", "dataDir", $"the {split} class folder '{empty.Name}' has no images; a run stops on it. Remove it or add images.");
        }
        if (train.ImageCount == 0)
            add("no-images", "dataDir", $"{train.SplitDir} has no images ({string.Join(", ", ImageFolderDataset.ImageExtensions)}).");
        else if (train.ImageCount < config.BatchSize)
            add("fewer-images-than-batch", "batchSize", $"{train.ImageCount} training images are fewer than one batch of {config.BatchSize}.");

        var filled = train.Classes.Where(c => c.Images.Count > 0).ToList();
        if (filled.Count >= 2)
        {
            var largest = filled.MaxBy(c => c.Images.Count)!;
            var smallest = filled.MinBy(c => c.Images.Count)!;
            double ratio = (double)largest.Images.Count / smallest.Images.Count;
            if (ratio >= ImbalanceRatio)
                add("unbalanced-classes", "dataDir",
                    $"class '{largest.Name}' has {largest.Images.Count:N0} images and '{smallest.Name}' only {smallest.Images.Count:N0} ({ratio:0.#}× fewer): " +
                    "kNN and linear accuracy mostly measure the large classes. A balanced subset compares runs more fairly.");
        }

        if (!train.IsLabelled)
            add("unlabelled", "dataDir", "the images have no class folders: they train, but there are no labels to measure kNN or linear accuracy with; the health panel is then the only sign of learning.");
        else if (test is null)
            add("no-test-split", "dataDir", "there is no test/ folder beside train/: kNN and linear accuracy cannot be measured on held-out images.");
        else
        {
            var missing = train.Classes.Select(c => c.Name).Except(test.Classes.Select(c => c.Name)).ToList();
            var extra = test.Classes.Select(c => c.Name).Except(train.Classes.Select(c => c.Name)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                add("test-classes-differ", "dataDir",
                    $"the test classes differ from the train classes ({(missing.Count > 0 ? "missing: " + string.Join(", ", missing.Take(5)) : "")}" +
                    $"{(missing.Count > 0 && extra.Count > 0 ? "; " : "")}{(extra.Count > 0 ? "extra: " + string.Join(", ", extra.Take(5)) : "")}).");
        }
    }
}
