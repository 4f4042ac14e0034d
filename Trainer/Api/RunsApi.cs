using System.Globalization;
using AspireSimClr.Engine;
using AspireSimClr.Trainer.Hubs;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Api;

public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs");
        group.MapGet("/", List).WithSummary("List runs, newest first; filter by status and tag.");
        group.MapGet("/{id}", Get).WithSummary("One run.");
        group.MapGet("/{id}/metrics", Metrics).WithSummary("The run's step, epoch and evaluation points after sequence number 'since'.");
        group.MapGet("/{id}/checkpoint", DownloadCheckpoint).WithSummary("The run's latest checkpoint file.");
        group.MapGet("/{id}/encoder", DownloadEncoder).WithSummary("The trained encoder as a PyTorch state dict (torch.load).");

        var changes = group.MapGroup("").RequireChangeLimit().AddEndpointFilter<ApiKeyFilter>();
        changes.MapPost("/", Create).WithSummary("Queue a new run; omitted settings take their defaults.");
        changes.MapPost("/cancel-all", CancelAll).WithSummary("Cancel every queued and running run.");
        changes.MapPost("/{id}/cancel", Cancel).WithSummary("Cancel a queued or running run (within one training step).");
        changes.MapPost("/{id}/resume", Resume).WithSummary("Queue an interrupted, cancelled or failed run again, from its last checkpoint.");
        changes.MapPost("/{id}/fork", Fork).WithSummary("Continue the run's latest checkpoint as a new run with edited settings (schedule, rates, views, evaluation, runtime); the body holds only what changes.");
        changes.MapPatch("/{id}", Update).WithSummary("Change a run's name, tags or notes.");
        changes.MapDelete("/{id}", Delete).WithSummary("Delete a run, its metrics and its files.");
        return group;
    }

    private static IResult List(RunStore store, string? status, string? tag)
    {
        RunStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"'{status}' is not one of: {string.Join(", ", Enum.GetNames<RunStatus>().Select(n => n.ToLowerInvariant()))}."] });
            filter = parsed;
        }
        return Results.Ok(store.Runs.List(filter, tag));
    }

    private static IResult Get(string id, RunStore store) =>
        store.Runs.Get(id) is { } run ? Results.Ok(run) : NotFound(id);

    private static IResult Metrics(string id, RunStore store, string? since)
    {
        long after = 0;
        if (since is not null && (!long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["since"] = ["must be a whole number, 0 or more (a sequence number)."] });
        if (store.Runs.Get(id) is null) return NotFound(id);
        return Results.Ok(store.History.Read(id, after));
    }

    private static async Task<IResult> Create(HttpRequest http, RunCoordinator coordinator, RequestedSettings settings, CancellationToken ct)
    {
        var (request, problem) = await settings.ReadAsync(http, ct);
        if (request is null) return problem!;
        var run = coordinator.Create(request.Name, request.Tags, request.Notes, request.Config);
        return Results.Created($"/api/runs/{run.Id}", run);
    }

    private static async Task<IResult> Fork(string id, HttpRequest http, RunStore store, RunArtifacts artifacts, RunCoordinator coordinator, CancellationToken ct)
    {
        if (store.Runs.Get(id) is not { } source) return NotFound(id);
        if (artifacts.Checkpoint(id) is not { } checkpoint)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No checkpoint yet", detail: $"Run {id} has not saved a checkpoint to continue from.");
        var (body, malformed) = await JsonBody.ReadAsync(http, ct);
        if (malformed is not null) return malformed;
        var position = Engine.Checkpoints.TrainingCheckpoint.ReadPosition(checkpoint);
        var (request, errors) = RunRequestReader.ReadCreate(body, position.Config);
        if (request is null) return Results.ValidationProblem(errors, title: "The fork's settings are invalid.");

        var problems = Engine.TrainingFork.Check(position.Config, request.Config).ToList();
        if (request.Config.Epochs <= position.Epoch)
            problems.Add(new ConfigError(nameof(TrainingConfig.Epochs), $"must be more than the {position.Epoch} epochs the checkpoint has trained."));
        if (problems.Count == 0) problems.AddRange(TrainingPreflight.Check(request.Config, checkDevice: !store.Shared));
        if (problems.Count > 0)
            return Results.ValidationProblem(problems.GroupBy(p => RunRequestReader.FieldName(p.Field, request.SettingsAsTree)).ToDictionary(g => g.Key, g => g.Select(p => p.Message).Distinct().ToArray()),
                title: "The fork's settings are invalid.");
        var run = coordinator.Fork(source, checkpoint, position, request.Name, request.Tags, request.Notes, request.Config);
        return Results.Created($"/api/runs/{run.Id}", run);
    }

    private static IResult Cancel(string id, RunCoordinator coordinator) => Outcome(id, coordinator.Cancel(id));

    private static IResult CancelAll(RunCoordinator coordinator) => Results.Ok(coordinator.CancelAll());

    private static IResult Resume(string id, RunCoordinator coordinator) => Outcome(id, coordinator.Resume(id));

    private static async Task<IResult> Update(string id, HttpRequest http, RunStore store, TrainingBroadcaster broadcaster, CancellationToken ct)
    {
        var (body, malformed) = await JsonBody.ReadAsync(http, ct);
        if (malformed is not null) return malformed;
        var (request, errors) = RunRequestReader.ReadUpdate(body);
        if (request is null) return Results.ValidationProblem(errors, title: "The change is invalid.");
        var run = store.Runs.Edit(id, r => r with { Name = request.Name ?? r.Name, Tags = request.Tags ?? r.Tags, Notes = request.Notes ?? r.Notes });
        if (run is null) return NotFound(id);
        run = store.Runs.Get(id)!;
        broadcaster.Publish(new RunChanged("updated", run));
        return Results.Ok(run);
    }

    private static IResult Delete(string id, RunCoordinator coordinator) => coordinator.Delete(id) switch
    {
        (RunActionResult.NotFound, _) => NotFound(id),
        (RunActionResult.Conflict, var problem) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Run is running", detail: problem),
        _ => Results.NoContent(),
    };

    private static IResult DownloadCheckpoint(string id, RunStore store, RunArtifacts artifacts)
    {
        if (store.Runs.Get(id) is null) return NotFound(id);
        return artifacts.Checkpoint(id) is { } path
            ? Results.File(path, "application/octet-stream", $"simclr-{id}.ckpt")
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No checkpoint yet", detail: $"Run {id} has not saved a checkpoint yet.");
    }

    private static async Task<IResult> DownloadEncoder(string id, RunStore store, RunArtifacts artifacts)
    {
        if (store.Runs.Get(id) is null) return NotFound(id);
        return await artifacts.EncoderAsync(id) is { } path
            ? Results.File(path, "application/octet-stream", $"simclr-{id}-encoder.pt")
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No checkpoint yet", detail: $"Run {id} has not saved a checkpoint to export the encoder from.");
    }

    private static IResult Outcome(string id, (RunActionResult Result, Run? Run, string? Problem) outcome) => outcome.Result switch
    {
        RunActionResult.NotFound => NotFound(id),
        RunActionResult.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the run's state", detail: outcome.Problem),
        _ => Results.Ok(outcome.Run),
    };

    internal static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"There is no run with id '{id}'.");
}
