using AspireSimClr.Engine;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Api;

public static class SystemApi
{
    public static RouteGroupBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system").WithTags("System").ReadsRuns();
        group.MapGet("/", (RunStore store) => TypedResults.Ok(new SystemStatus(
            SystemInfoReader.Read(),
            new QueueStatus(store.Runs.List(RunStatus.Running).Count, store.Runs.List(RunStatus.Queued).Count, store.Description),
            MethodNames.All, ModelNames.All, OptimizerNames.All))).WithName("GetSystem").WithSummary("Device, threads, memory, library versions and the queue.");
        return group;
    }
}
