namespace AspireSimClr.Contracts;

/// <summary>
/// The images a run's embedding maps show: a fixed, seeded sample of the test split (the train split where
/// there is no test split), the same at every epoch, tiled row by row into one PNG atlas of ImageSize cells.
/// </summary>
/// <param name="Labels">Each image's class index, null for unlabelled images.</param>
public sealed record EmbeddingSample(int Count, int ImageSize, int Columns, IReadOnlyList<string> ClassNames, IReadOnlyList<int>? Labels, string Source);

/// <summary>
/// The sample's encoder features at one epoch projected to 2-D by PCA, with each image's nearest neighbours
/// in the full feature space (cosine similarity, most similar first).
/// </summary>
/// <param name="Epoch">Epochs trained (1 = after the first).</param>
/// <param name="ExplainedVariance">Fraction of the features' variance each of the two axes carries.</param>
public sealed record EmbeddingMap(int Epoch, IReadOnlyList<double> ExplainedVariance, IReadOnlyList<double> X, IReadOnlyList<double> Y,
    IReadOnlyList<IReadOnlyList<int>> Neighbours, IReadOnlyList<IReadOnlyList<double>> Similarities);

/// <summary>What exists of a run's embedding maps.</summary>
public sealed record EmbeddingMapIndex(EmbeddingSample? Sample, IReadOnlyList<int> Epochs);
