using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

/// <summary>A run's embedding maps: the sample's images and, per evaluated epoch, their 2-D projection and nearest neighbours.</summary>
public static class EmbeddingsApi
{
    public static RouteGroupBuilder MapEmbeddingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id}/embeddings").WithTags("Embeddings").ReadsRuns();
        group.MapGet("/", Index).WithName("GetEmbeddingIndex").Refuses(StatusCodes.Status404NotFound).WithSummary("The run's embedding sample (class names, labels, atlas layout) and the epochs that have a map.");
        group.MapGet("/sample.png", Atlas).WithName("GetEmbeddingAtlas").Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Refuses(StatusCodes.Status404NotFound).WithSummary("The sample's images tiled row by row into one PNG (cells of imageSize pixels, 'columns' per row).");
        group.MapGet("/{epoch:int}", Map).WithName("GetEmbeddingMap").Refuses(StatusCodes.Status404NotFound).WithSummary("The map after N epochs: PCA coordinates and each image's nearest neighbours.");
        group.MapPost("/", MapCheckpoint).WithName("MapLatestCheckpoint").RequireApiKey().RequirePreviewLimit()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests)
            .WithSummary("Make the map of the run's latest checkpoint now (on the run's own sample, or a new one for runs that made none).");
        return group;
    }

    private static EmbeddingMapStore Store(string id, IOptions<TrainerOptions> options) => new(options.Value.RunFolder(id));

    private static Results<Ok<EmbeddingMapIndex>, ProblemHttpResult> Index(string id, RunStore store, IOptions<TrainerOptions> options)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        var maps = Store(id, options);
        return TypedResults.Ok(new EmbeddingMapIndex(maps.HasSample ? maps.ReadSample() : null, maps.Epochs()));
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Atlas(string id, RunStore store, IOptions<TrainerOptions> options)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        var maps = Store(id, options);
        return maps.HasSample ? TypedResults.PhysicalFile(Path.GetFullPath(maps.AtlasPath), "image/png") : NoMap(id, "no embedding sample yet");
    }

    private static Results<Ok<EmbeddingMap>, ProblemHttpResult> Map(string id, int epoch, RunStore store, IOptions<TrainerOptions> options)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        return Store(id, options).ReadMap(epoch) is { } map ? TypedResults.Ok(map) : NoMap(id, $"no embedding map after epoch {epoch}");
    }

    private static async Task<Results<Ok<EmbeddingMap>, ProblemHttpResult>> MapCheckpoint(string id, RunStore store, RunArtifacts artifacts, IOptions<TrainerOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        if (artifacts.Checkpoint(id) is not { } checkpoint)
            return Problems.Conflict("No checkpoint yet", $"Run {id} has not saved a checkpoint to map.");
        try
        {
            return TypedResults.Ok(await Task.Run(() => EmbeddingMapper.MapCheckpointAsync(checkpoint, Store(id, options), new DatasetLoader(), ct), ct));
        }
        catch (Exception ex) when (ex is DataNotFoundException or DataFormatException or IOException)
        {
            loggers.CreateLogger(typeof(EmbeddingsApi)).LogWarning("Embedding map of run {RunId} failed: {Problem}", id, ex.Message);
            return Problems.Conflict("The run's data cannot be read", ex.Message);
        }
    }

    private static ProblemHttpResult NoMap(string id, string what) => Problems.NotFound("No embedding map", $"Run {id} has {what}.");

}
