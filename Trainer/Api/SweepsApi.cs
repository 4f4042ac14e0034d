using System.Text.Json;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

public static class SweepsApi
{
    public const string Title = "The sweep is invalid.";

    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sweeps").WithTags("Sweeps").ReadsRuns();
        group.MapGet("/", (RunStore store) => TypedResults.Ok(store.Sweeps.List())).WithName("ListSweeps")
            .WithSummary("Sweeps and seed groups, newest first, with their runs' ids.");
        group.MapGet("/{id}", Get).WithName("GetSweep").Refuses(StatusCodes.Status404NotFound).WithSummary("One sweep with its runs.");
        group.MapPost("/", Create).WithName("CreateSweep").ChangesRuns()
            .ReadsJson<NewSweepRequest, RouteHandlerBuilder>()
            .WithSummary("Queue a grid, a random search, a model-based (TPE) search or a seed group over base settings, optionally stopping weak runs early (successive halving); every run is checked before any is queued, and a TPE search queues its later runs as results arrive.");
        return group;
    }

    private static Results<Ok<SweepDetail>, ProblemHttpResult> Get(string id, RunStore store) => store.Sweeps.List(id).FirstOrDefault() is { } sweep
        ? TypedResults.Ok(new SweepDetail(sweep, sweep.RunIds.Select(store.Runs.Get).OfType<Run>().ToList(),
            sweep.EarlyStopping is null ? null : store.SweepRungs.List(sweep.Id).Where(d => sweep.RunIds.Contains(d.RunId)).ToList()))
        : Problems.NotFound("Sweep not found", $"There is no sweep with id '{id}'.");

    private static async Task<Results<Created<SweepDetail>, ProblemHttpResult>> Create(HttpRequest http, RequestedSettings settings, RunCoordinator coordinator, RunStore store, TimeProvider time, CancellationToken ct)
    {
        var (body, malformed) = await JsonBody.ReadAsync(http, ct);
        if (malformed is not null) return malformed;
        var (request, errors) = SweepRequestReader.Read(body, new TrainingConfig().Seed);
        if (request is null) return Problems.Invalid(errors, Title);

        var prepared = new List<(string Name, CreateRunRequest Run)>();
        for (int i = 0; i < request.Runs.Count; i++)
        {
            var run = request.Runs[i];
            var json = request.Settings.DeepClone().AsObject();
            foreach (var (setting, value) in run.Overrides) json[setting] = value.DeepClone();
            using var document = JsonDocument.Parse(json.ToJsonString());
            var (ready, problems) = settings.Prepare(document.RootElement);
            if (ready is null) return Problems.Invalid(NameErrors(request, run, problems), Title);
            if (request.EarlyStopping is { } rules && Sweeps.EarlyStoppingRules.Check(rules, ready.Config) is { } unjudgeable)
                return Problems.Invalid(new Dictionary<string, string[]> { ["earlyStopping.rungs"] = [run.Label.Length > 0 ? $"{run.Label}: {unjudgeable}" : unjudgeable] }, Title);
            prepared.Add(($"{request.Name} · {run.Label}", ready));
        }

        var sweep = new Sweep(RunCoordinator.NewId(), request.Name, request.Kind, request.Axes, time.GetUtcNow(), [], request.EarlyStopping, request.Search);
        store.Sweeps.Insert(sweep, request.Search is null ? null : request.Settings.ToJsonString());
        var runs = prepared.Select(p => coordinator.Create(p.Name, p.Run.Tags, p.Run.Notes, p.Run.Config, sweep.Id)).ToList();
        sweep = sweep with { RunIds = runs.Select(r => r.Id).ToList() };
        return TypedResults.Created($"/api/sweeps/{sweep.Id}", new SweepDetail(sweep, runs));
    }

    /// <summary>A run's problems named where the request set them: a varied setting by its axis, range or 'seeds', the rest under settings.</summary>
    private static Dictionary<string, string[]> NameErrors(SweepRequest request, SweepRun run, Dictionary<string, string[]> problems) =>
        problems.ToDictionary(p =>
        {
            int axis = request.Axes.Select(a => a.Setting).ToList().IndexOf(p.Key);
            return !run.Overrides.ContainsKey(p.Key) || axis < 0 ? $"settings.{p.Key}"
                : request.Kind == SweepKinds.Grid ? $"axes[{axis}].values"
                : request.Kind is SweepKinds.Random or SweepKinds.Tpe ? $"ranges[{axis}]"
                : "seeds";
        }, p => run.Overrides.TryGetValue(p.Key, out var value)
            ? p.Value.Select(message => $"{p.Key} = {SweepRequestReader.Text(value)}: {message}").ToArray()
            : p.Value);
}
