namespace AspireSimClr.Engine.Data;

/// <summary>What each dataset is and which file layouts it accepts.</summary>
public static class DatasetCatalog
{
    public sealed record DatasetInfo(string Name, string Description, string Layout);

    public static IReadOnlyList<DatasetInfo> All { get; } =
    [
        new(DatasetNames.Cifar10, "CIFAR-10: 50,000 train and 10,000 test 32×32 colour images in 10 classes.",
            "accepted layouts: cifar-10-batches-bin/data_batch_1..5.bin + test_batch.bin (official binary release, downloaded if absent), or train/<class>/*.jpg + test/<class>/*.jpg."),
        new(DatasetNames.FashionMnist, "Fashion-MNIST: 60,000 train and 10,000 test 28×28 grey images of clothing in 10 classes.",
            "accepted layout: the four IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz); Debian: apt-get install dataset-fashion-mnist."),
        new(DatasetNames.ImageFolder, "Your own images: labelled class folders or a folder of unlabelled images.",
            "accepted layouts: train/<class>/*.jpg|png (+ optional test/<class>/...) for labelled data, or a folder of images for unlabelled training (evaluation is then skipped)."),
        new(DatasetNames.Synthetic, "A small generated dataset of striped images in four classes, for smoke tests.",
            "generated in memory; no files needed."),
    ];

    public static DatasetInfo Describe(string name) => All.First(d => d.Name == name);
}
