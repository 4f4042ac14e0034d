using System.Globalization;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Export;
using AspireSimClr.Trainer.Hubs;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs").ReadsRuns();
        group.MapGet("/", List).WithName("ListRuns").Refuses(StatusCodes.Status400BadRequest)
            .WithSummary("List runs, newest first; filter by status and tag.");
        group.MapGet("/{id}", Get).WithName("GetRun").Refuses(StatusCodes.Status404NotFound).WithSummary("One run.");
        group.MapGet("/{id}/metrics", Metrics).WithName("GetRunMetrics").Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("The run's step, epoch and evaluation points after sequence number 'since'.");
        group.MapGet("/{id}/checkpoint", DownloadCheckpoint).WithName("DownloadCheckpoint").Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Refuses(StatusCodes.Status404NotFound).WithSummary("The run's latest checkpoint file.");
        group.MapGet("/{id}/encoder", DownloadEncoder).WithName("DownloadEncoder").Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Refuses(StatusCodes.Status404NotFound).WithSummary("The trained encoder as a PyTorch state dict (torch.load).");
        group.MapGet("/{id}/encoder.onnx", DownloadOnnx).WithName("DownloadEncoderOnnx").Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .RequirePreviewLimit()
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests)
            .WithSummary("The trained encoder as an ONNX model (opset 17, output 'embedding'): input=float (RGB in 0-1, the default) or uint8 (RGB 0-255), "
                + "[batch, 3, size, size]; projection=true adds the projection head's output 'projection'; classifier=true adds 'logits' from a linear "
                + "classifier trained on the run's labelled train split (this takes a while the first time).");

        var changes = group.MapGroup("").ChangesRuns();
        changes.MapPost("/", Create).WithName("CreateRun").ReadsJson<NewRunRequest, RouteHandlerBuilder>()
            .WithSummary("Queue a new run; omitted settings take their defaults.");
        changes.MapPost("/cancel-all", CancelAll).WithName("CancelAllRuns").WithSummary("Cancel every queued and running run.");
        changes.MapPost("/{id}/cancel", Cancel).WithName("CancelRun").Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithSummary("Cancel a queued or running run (within one training step).");
        changes.MapPost("/{id}/resume", Resume).WithName("ResumeRun").Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithSummary("Queue an interrupted, cancelled or failed run again, from its last checkpoint.");
        changes.MapPost("/{id}/fork", Fork).WithName("ForkRun").ReadsJson<NewRunRequest, RouteHandlerBuilder>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithSummary("Continue the run's latest checkpoint as a new run with edited settings (schedule, rates, views, evaluation, runtime); the body holds only what changes.");
        changes.MapPatch("/{id}", Update).WithName("EditRun").ReadsJson<RunEdit, RouteHandlerBuilder>().Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Change a run's name, tags or notes.");
        changes.MapDelete("/{id}", Delete).WithName("DeleteRun").Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithSummary("Delete a run, its metrics and its files.");
        return group;
    }

    private static Results<Ok<IReadOnlyList<Run>>, ProblemHttpResult> List(RunStore store, string? status, string? tag)
    {
        RunStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || status.Trim().Any(char.IsDigit))
                return Problems.Invalid(new Dictionary<string, string[]> { ["status"] = [$"'{status}' is not one of: {string.Join(", ", Enum.GetNames<RunStatus>())}."] },
                    "The filter is invalid.");
            filter = parsed;
        }
        return TypedResults.Ok(store.Runs.List(filter, tag));
    }

    private static Results<Ok<Run>, ProblemHttpResult> Get(string id, RunStore store) =>
        store.Runs.Get(id) is { } run ? TypedResults.Ok(run) : Problems.RunNotFound(id);

    private static Results<Ok<MetricsResponse>, ProblemHttpResult> Metrics(string id, RunStore store, string? since)
    {
        long after = 0;
        if (since is not null && (!long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            return Problems.Invalid(new Dictionary<string, string[]> { ["since"] = ["must be a whole number, 0 or more (a sequence number)."] }, "The cursor is invalid.");
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        return TypedResults.Ok(store.History.Read(id, after));
    }

    private static async Task<Results<Created<Run>, ProblemHttpResult>> Create(HttpRequest http, RunCoordinator coordinator, RequestedSettings settings, CancellationToken ct)
    {
        var (request, problem) = await settings.ReadAsync(http, ct);
        if (request is null) return problem!;
        var run = coordinator.Create(request.Name, request.Tags, request.Notes, request.Config);
        return TypedResults.Created($"/api/runs/{run.Id}", run);
    }

    private static async Task<Results<Created<Run>, ProblemHttpResult>> Fork(string id, HttpRequest http, RunStore store, RunArtifacts artifacts, RunCoordinator coordinator, CancellationToken ct)
    {
        if (store.Runs.Get(id) is not { } source) return Problems.RunNotFound(id);
        if (artifacts.Checkpoint(id) is not { } checkpoint) return Problems.Conflict("No checkpoint yet", $"Run {id} has not saved a checkpoint to continue from.");
        var (body, malformed) = await JsonBody.ReadAsync(http, ct);
        if (malformed is not null) return malformed;
        var position = Engine.Checkpoints.TrainingCheckpoint.ReadPosition(checkpoint);
        var (request, errors) = RunRequestReader.ReadCreate(body, position.Config);
        if (request is null) return Problems.Invalid(errors, "The fork's settings are invalid.");

        var problems = Engine.TrainingFork.Check(position.Config, request.Config).ToList();
        if (request.Config.Epochs <= position.Epoch)
            problems.Add(new ConfigError(nameof(TrainingConfig.Epochs), $"must be more than the {position.Epoch} epochs the checkpoint has trained."));
        if (problems.Count == 0) problems.AddRange(TrainingPreflight.Check(request.Config, checkDevice: !store.Shared));
        if (problems.Count > 0)
            return Problems.Invalid(problems.GroupBy(p => RunRequestReader.FieldName(p.Field, request.SettingsAsTree)).ToDictionary(g => g.Key, g => g.Select(p => p.Message).Distinct().ToArray()),
                "The fork's settings are invalid.");
        var run = coordinator.Fork(source, checkpoint, position, request.Name, request.Tags, request.Notes, request.Config);
        return TypedResults.Created($"/api/runs/{run.Id}", run);
    }

    private static Results<Ok<Run>, ProblemHttpResult> Cancel(string id, RunCoordinator coordinator) => Outcome(id, coordinator.Cancel(id));

    private static Ok<IReadOnlyList<Run>> CancelAll(RunCoordinator coordinator) => TypedResults.Ok(coordinator.CancelAll());

    private static Results<Ok<Run>, ProblemHttpResult> Resume(string id, RunCoordinator coordinator) => Outcome(id, coordinator.Resume(id));

    private static async Task<Results<Ok<Run>, ProblemHttpResult>> Update(string id, HttpRequest http, RunStore store, TrainingBroadcaster broadcaster, CancellationToken ct)
    {
        var (body, malformed) = await JsonBody.ReadAsync(http, ct);
        if (malformed is not null) return malformed;
        var (request, errors) = RunRequestReader.ReadUpdate(body);
        if (request is null) return Problems.Invalid(errors, "The change is invalid.");
        var run = store.Runs.Edit(id, r => r with { Name = request.Name ?? r.Name, Tags = request.Tags ?? r.Tags, Notes = request.Notes ?? r.Notes });
        if (run is null) return Problems.RunNotFound(id);
        broadcaster.Publish(new RunChanged("updated", run));
        return TypedResults.Ok(run);
    }

    private static Results<NoContent, ProblemHttpResult> Delete(string id, RunCoordinator coordinator) => coordinator.Delete(id) switch
    {
        (RunActionResult.NotFound, _) => Problems.RunNotFound(id),
        (RunActionResult.Conflict, var problem) => Problems.Conflict("Run is running", problem!),
        _ => TypedResults.NoContent(),
    };

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> DownloadCheckpoint(string id, RunStore store, RunArtifacts artifacts)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        return artifacts.Checkpoint(id) is { } path
            ? TypedResults.PhysicalFile(Path.GetFullPath(path), "application/octet-stream", $"simclr-{id}.ckpt")
            : Problems.NotFound("No checkpoint yet", $"Run {id} has not saved a checkpoint yet.");
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadEncoder(string id, RunStore store, RunArtifacts artifacts)
    {
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        return await artifacts.EncoderAsync(id) is { } path
            ? TypedResults.PhysicalFile(Path.GetFullPath(path), "application/octet-stream", $"simclr-{id}-encoder.pt")
            : Problems.NotFound("No checkpoint yet", $"Run {id} has not saved a checkpoint to export the encoder from.");
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadOnnx(string id, string? input, string? projection, string? classifier,
        RunStore store, RunArtifacts artifacts, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var inputType = input switch
        {
            null or "float" => OnnxInputType.Float,
            "uint8" => OnnxInputType.Uint8,
            _ => (OnnxInputType?)null,
        };
        if (inputType is null) errors["input"] = [$"'{input}' is not one of: float, uint8."];
        bool? withProjection = Flag(projection), withClassifier = Flag(classifier);
        if (withProjection is null) errors["projection"] = [$"'{projection}' is not one of: true, false."];
        if (withClassifier is null) errors["classifier"] = [$"'{classifier}' is not one of: true, false."];
        if (errors.Count > 0) return Problems.Invalid(errors, "The export's options are invalid.");
        if (store.Runs.Get(id) is null) return Problems.RunNotFound(id);
        try
        {
            return await artifacts.OnnxAsync(id, inputType!.Value, withProjection!.Value, withClassifier!.Value, ct) is { } path
                ? TypedResults.PhysicalFile(Path.GetFullPath(path), "application/octet-stream", $"simclr-{id}-{Path.GetFileName(path)}")
                : Problems.NotFound("No checkpoint yet", $"Run {id} has not saved a checkpoint to export the encoder from.");
        }
        catch (UnlabelledDataException ex)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["classifier"] = [$"the run's data cannot train one: {ex.Message}"] }, "The export's options are invalid.");
        }
        catch (Exception ex) when (ex is DataNotFoundException or DataFormatException or IOException)
        {
            loggers.CreateLogger(typeof(RunsApi)).LogWarning("ONNX export of run {RunId} failed: {Problem}", id, ex.Message);
            return Problems.Conflict("The encoder cannot be exported", ex.Message);
        }

        static bool? Flag(string? value) => value switch
        {
            null or "false" => false,
            "true" => true,
            _ => null,
        };
    }

    private static Results<Ok<Run>, ProblemHttpResult> Outcome(string id, (RunActionResult Result, Run? Run, string? Problem) outcome) => outcome.Result switch
    {
        RunActionResult.NotFound => Problems.RunNotFound(id),
        RunActionResult.Conflict => Problems.Conflict("Not possible in the run's state", outcome.Problem!),
        _ => TypedResults.Ok(outcome.Run!),
    };
}
