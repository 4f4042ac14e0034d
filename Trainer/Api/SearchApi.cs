using System.Globalization;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Search;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

/// <summary>A run's embedding index over its whole dataset: build it, then find similar images and near-duplicates.</summary>
public static class SearchApi
{
    private const int MaxResults = 1_000;

    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id}").WithTags("Search").ReadsRuns();
        group.MapGet("/index", Summary).WithName("GetSearchIndex").Refuses(StatusCodes.Status404NotFound)
            .WithSummary("The run's embedding index: images, dimensions, the epoch of its encoder, retrieval precision@10 by class.");
        group.MapPost("/index", Build).WithName("BuildSearchIndex").RequireApiKey().RequirePreviewLimit()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests)
            .WithSummary("Embed every image of the run's dataset (train and test) with its latest checkpoint's encoder into the run's index, replacing any earlier one.");
        group.MapGet("/search", Search).WithName("SearchSimilarImages").Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("The k indexed images most similar to indexed image 'image' (itself left out), most similar first.");
        group.MapPost("/search", SearchByImage).WithName("SearchByUploadedImage").Accepts<byte[]>("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp")
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests)
            .RequirePreviewLimit()
            .WithSummary("The k indexed images most similar to the image sent as the body (image/*, at most 8 MiB; kept in memory only), embedded by the index's encoder.");
        group.MapGet("/index/images/{entry}", Thumbnail).WithName("GetIndexedImage").Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("Indexed image 'entry' as a PNG thumbnail (the image as trained on, at most 64 px a side).");
        group.MapGet("/near-duplicates", NearDuplicates).WithName("FindNearDuplicates").Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("Pairs of indexed images at least 'threshold' similar (cosine), most similar first, at most 'limit'.");
        return group;
    }

    private static Results<Ok<SearchIndexSummary>, ProblemHttpResult> Summary(string id, RunStore store, RunSearchIndex indexes)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        return indexes.Summary(id) is { } summary ? TypedResults.Ok(summary) : NoIndex(id);
    }

    private static async Task<Results<Ok<SearchIndexSummary>, ProblemHttpResult>> Build(string id, RunStore store, RunSearchIndex indexes, ILoggerFactory loggers, CancellationToken ct)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        try
        {
            return await indexes.BuildAsync(id, ct) is { } summary
                ? TypedResults.Ok(summary)
                : Problems.Conflict("No checkpoint yet", $"Run {id} has not saved a checkpoint to index its data with.");
        }
        catch (Exception ex) when (ex is DataNotFoundException or DataFormatException or IOException or Npgsql.NpgsqlException)
        {
            loggers.CreateLogger(typeof(SearchApi)).LogWarning("Index of run {RunId} failed: {Problem}", id, ex.Message);
            return Problems.Conflict("The run's data cannot be indexed", ex.Message);
        }
    }

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search(string id, string? image, string? k, RunStore store, RunSearchIndex indexes, CancellationToken ct)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        using var lease = indexes.Open(id);
        if (lease is null) return NoIndex(id);
        var (index, summary) = (lease.Index, lease.Summary);
        var errors = new Dictionary<string, string[]>();
        int query = WholeNumber(image, "image", 0, index.Count - 1, null, errors);
        int count = WholeNumber(k, "k", 1, MaxResults, 10, errors);
        if (errors.Count > 0) return Problems.Invalid(errors, "The search is invalid.");
        using var row = index.Vectors[query];
        var vector = Engine.Runtime.HostArrays.ToArray<float>(row);
        var hits = (await indexes.SearchAsync(id, summary, index, vector, count, query, ct)).Select(h => View(index, h.Index, h.Score)).ToList();
        return TypedResults.Ok(new SearchResponse(query, hits, View(index, query, 1)));
    }

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchByImage(string id, string? k, HttpRequest http, RunStore store, RunSearchIndex indexes, CancellationToken ct)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        var errors = new Dictionary<string, string[]>();
        int count = WholeNumber(k, "k", 1, MaxResults, 10, errors);
        if (errors.Count > 0) return Problems.Invalid(errors, "The search is invalid.");
        if (indexes.Summary(id) is not { } summary) return NoIndex(id);
        var (image, problem) = await ImageUpload.ReadAsync(http, ct);
        if (image is null) return problem!;
        float[]? vector;
        try
        {
            vector = await Task.Run(() => indexes.Embed(id, summary, image), ct);
        }
        catch (InvalidDataException ex)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["image"] = [ex.Message] }, "The image cannot be read.");
        }
        if (vector is null)
            return Problems.Conflict("The index is out of date", $"Run {id}'s index was built after epoch {summary.Epoch}; its checkpoint has moved on. POST /api/runs/{id}/index builds it again.");
        using var lease = indexes.Open(id);
        if (lease is null) return NoIndex(id);
        var index = lease.Index;
        var hits = (await indexes.SearchAsync(id, summary, index, vector, count, null, ct)).Select(h => View(index, h.Index, h.Score)).ToList();
        return TypedResults.Ok(new SearchResponse(-1, hits, null));
    }

    private static Results<Ok<IReadOnlyList<NearDuplicateView>>, ProblemHttpResult> NearDuplicates(string id, string? threshold, string? limit,
        RunStore store, RunSearchIndex indexes, CancellationToken ct)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        var errors = new Dictionary<string, string[]>();
        double minimum = 0.95;
        if (threshold is not null && (!double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out minimum) || minimum is < 0.5 or > 1))
            errors["threshold"] = ["must be a number from 0.5 to 1 (a cosine similarity)."];
        int most = WholeNumber(limit, "limit", 1, MaxResults, 100, errors);
        if (errors.Count > 0) return Problems.Invalid(errors, "The search is invalid.");
        using var lease = indexes.Open(id);
        if (lease is null) return NoIndex(id);
        var index = lease.Index;
        IReadOnlyList<NearDuplicateView> pairs = [.. index.NearDuplicates(minimum, most, ct)
            .Select(p => new NearDuplicateView(View(index, p.First, p.Score), View(index, p.Second, p.Score), p.Score))];
        return TypedResults.Ok(pairs);
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Thumbnail(string id, string entry, RunStore store, RunSearchIndex indexes, HttpResponse response)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        if (indexes.Summary(id) is not { } summary) return NoIndex(id);
        var errors = new Dictionary<string, string[]>();
        int number = WholeNumber(entry, "entry", 0, summary.Images - 1, null, errors);
        if (errors.Count > 0) return Problems.Invalid(errors, "No such indexed image.");
        if (indexes.Thumbnail(id, number) is not { } png) return Problems.NotFound("No thumbnails", $"Run {id}'s index has no thumbnails; POST /api/runs/{id}/index builds it again.");
        // An entry's image changes only when the index is built again, which the dashboard's links carry as their version.
        response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(png, "image/png");
    }

    private static SearchHitView View(EmbeddingIndex index, int entry, double score)
    {
        var image = index.Images[entry];
        string? className = image.Label >= 0 && image.Label < index.ClassNames.Count ? index.ClassNames[(int)image.Label] : null;
        return new SearchHitView(entry, image.Split, image.Position, className, Math.Round(score, 6));
    }

    private static int WholeNumber(string? text, string field, int min, int max, int? fallback, Dictionary<string, string[]> errors)
    {
        if (text is null && fallback is { } value) return value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max) return number;
        errors[field] = [text is null ? $"is required: a whole number from {min} to {max}." : $"'{text}' is not a whole number from {min} to {max}."];
        return min;
    }

    private static ProblemHttpResult NoIndex(string id) =>
        Problems.NotFound("No index yet", $"Run {id} has no embedding index; POST /api/runs/{id}/index builds one.");
}
