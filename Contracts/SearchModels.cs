namespace AspireSimClr.Contracts;

/// <summary>A run's embedding index: how many images of which splits, from which epoch's encoder, and how well it retrieves.</summary>
/// <param name="PrecisionAt10">Share of each labelled test image's 10 most similar train images that have its class (null without labels).</param>
/// <param name="Backend">Where searches run: <see cref="SearchBackends.Memory"/> or <see cref="SearchBackends.PgVector"/>.</param>
/// <param name="BackendReason">Why that backend: what the run store and its server offer.</param>
/// <param name="Precision">Precision@10 of every checkpoint the run's index was built from, oldest epoch first.</param>
public sealed record SearchIndexSummary(int Images, int Dimensions, int Epoch, int TrainImages, int TestImages, double? PrecisionAt10,
    double BuildSeconds, DateTimeOffset BuiltAt, string Backend, string BackendReason, IReadOnlyList<RetrievalPrecision> Precision);

/// <summary>Retrieval precision@10 by class of the encoder of one checkpoint (null without labels).</summary>
public sealed record RetrievalPrecision(int Epoch, double? PrecisionAt10, DateTimeOffset BuiltAt);

public static class SearchBackends
{
    /// <summary>Exact search over the index's vectors held in the trainer's memory.</summary>
    public const string Memory = "memory";
    /// <summary>Exact search by PostgreSQL with the pgvector extension (cosine distance), beside the shared run store.</summary>
    public const string PgVector = "pgvector";
}

/// <summary>One indexed image: its split, its position there, its class when labelled, and its similarity to the query.</summary>
public sealed record SearchHitView(int Index, string Split, int Position, string? ClassName, double Score);

/// <param name="Query">The indexed image searched for; -1 for an uploaded image.</param>
/// <param name="QueryImage">The indexed image searched for, with similarity 1; null for an uploaded image.</param>
public sealed record SearchResponse(int Query, IReadOnlyList<SearchHitView> Hits, SearchHitView? QueryImage);

public sealed record NearDuplicateView(SearchHitView First, SearchHitView Second, double Score);
