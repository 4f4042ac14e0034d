using AspireSimClr.Engine;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Api;

public static class SystemApi
{
    /// <param name="Store">Where runs are kept (SQLite file or PostgreSQL host and database).</param>
    public sealed record QueueStatus(int Running, int Queued, string Store);
    public sealed record SystemStatus(SystemInfo Machine, QueueStatus Queue, IReadOnlyList<string> Methods, IReadOnlyList<string> Models, IReadOnlyList<string> Optimizers);

    public static RouteGroupBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system").WithTags("System");
        group.MapGet("/", (RunStore store) => new SystemStatus(
            SystemInfo.Read(),
            new QueueStatus(store.Runs.List(RunStatus.Running).Count, store.Runs.List(RunStatus.Queued).Count, store.Description),
            MethodNames.All, ModelNames.All, OptimizerNames.All)).WithSummary("Device, threads, memory, library versions and the queue.");
        return group;
    }
}
