using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Runs;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

public static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets").ReadsRuns();
        group.MapGet("/", (IOptions<TrainerOptions> options) => TypedResults.Ok(DatasetCatalog.All.Select(d =>
        {
            string? dataDir = d.Name switch
            {
                DatasetNames.Synthetic => null,
                DatasetNames.FashionMnist => IdxDataset.DebianFolder,
                _ => options.Value.DefaultDataDir(d.Name),
            };
            return new DatasetStatus(d.Name, d.Description, d.Layout, dataDir, DatasetLoader.IsPresent(d.Name, dataDir));
        }).ToList())).WithName("ListDatasets").WithSummary("The datasets the trainer knows and whether their files are present.");
        return group;
    }
}
