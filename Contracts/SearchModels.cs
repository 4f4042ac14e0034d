namespace AspireSimClr.Contracts;

/// <summary>A run's embedding index: how many images of which splits, from which epoch's encoder, and how well it retrieves.</summary>
/// <param name="PrecisionAt10">Share of each labelled test image's 10 most similar train images that have its class (null without labels).</param>
public sealed record SearchIndexSummary(int Images, int Dimensions, int Epoch, int TrainImages, int TestImages, double? PrecisionAt10,
    double BuildSeconds, DateTimeOffset BuiltAt);

/// <summary>One indexed image: its split, its position there, its class when labelled, and its similarity to the query.</summary>
public sealed record SearchHitView(int Index, string Split, int Position, string? ClassName, double Score);

/// <param name="Query">The indexed image searched for; -1 for an uploaded image.</param>
public sealed record SearchResponse(int Query, IReadOnlyList<SearchHitView> Hits);

public sealed record NearDuplicateView(SearchHitView First, SearchHitView Second, double Score);
