using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Trainer.Runs;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

/// <summary>A run's embedding maps: the sample's images and, per evaluated epoch, their 2-D projection and nearest neighbours.</summary>
public static class EmbeddingsApi
{
    public static RouteGroupBuilder MapEmbeddingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id}/embeddings").WithTags("Embeddings");
        group.MapGet("/", Index).WithSummary("The run's embedding sample (class names, labels, atlas layout) and the epochs that have a map.");
        group.MapGet("/sample.png", Atlas).WithSummary("The sample's images tiled row by row into one PNG (cells of imageSize pixels, 'columns' per row).");
        group.MapGet("/{epoch:int}", Map).WithSummary("The map after N epochs: PCA coordinates and each image's nearest neighbours.");
        group.MapPost("/", MapCheckpoint).AddEndpointFilter<ApiKeyFilter>().RequirePreviewLimit()
            .WithSummary("Make the map of the run's latest checkpoint now (on the run's own sample, or a new one for runs that made none).");
        return group;
    }

    private static EmbeddingMapStore Store(string id, IOptions<TrainerOptions> options) => new(options.Value.RunFolder(id));

    private static IResult Index(string id, RunStore store, IOptions<TrainerOptions> options)
    {
        if (store.Runs.Get(id) is null) return RunsApi.NotFound(id);
        var maps = Store(id, options);
        return Results.Ok(new EmbeddingMapIndex(maps.HasSample ? maps.ReadSample() : null, maps.Epochs()));
    }

    private static IResult Atlas(string id, RunStore store, IOptions<TrainerOptions> options)
    {
        if (store.Runs.Get(id) is null) return RunsApi.NotFound(id);
        var maps = Store(id, options);
        return maps.HasSample ? Results.File(maps.AtlasPath, "image/png") : NoMap(id, "no embedding sample yet");
    }

    private static IResult Map(string id, int epoch, RunStore store, IOptions<TrainerOptions> options)
    {
        if (store.Runs.Get(id) is null) return RunsApi.NotFound(id);
        return Store(id, options).ReadMap(epoch) is { } map ? Results.Ok(map) : NoMap(id, $"no embedding map after epoch {epoch}");
    }

    private static async Task<IResult> MapCheckpoint(string id, RunStore store, RunArtifacts artifacts, IOptions<TrainerOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        if (store.Runs.Get(id) is null) return RunsApi.NotFound(id);
        if (artifacts.Checkpoint(id) is not { } checkpoint)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No checkpoint yet", detail: $"Run {id} has not saved a checkpoint to map.");
        try
        {
            return Results.Ok(await Task.Run(() => EmbeddingMapper.MapCheckpointAsync(checkpoint, Store(id, options), new DatasetLoader(), ct), ct));
        }
        catch (Exception ex) when (ex is DataNotFoundException or DataFormatException or IOException)
        {
            loggers.CreateLogger(typeof(EmbeddingsApi)).LogWarning("Embedding map of run {RunId} failed: {Problem}", id, ex.Message);
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The run's data cannot be read", detail: ex.Message);
        }
    }

    private static IResult NoMap(string id, string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No embedding map", detail: $"Run {id} has {what}.");

}
