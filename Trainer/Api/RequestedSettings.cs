using AspireSimClr.Engine;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// A request's run settings made ready to train: read field by field, the dataset's default folder filled in,
/// folders confined to the data roots and the whole checked by <see cref="TrainingPreflight"/>; any problem
/// is a 400 naming its fields.
/// </summary>
public sealed class RequestedSettings(IOptions<TrainerOptions> options, DataRoots roots, RunStore store)
{
    public const string Title = "The run's settings are invalid.";

    public async Task<(CreateRunRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        var (body, malformed) = await JsonBody.ReadAsync(http, ct);
        if (malformed is not null) return (null, malformed);
        var (request, errors) = Prepare(body);
        return request is null ? (null, Problems.Invalid(errors, Title)) : (request, null);
    }

    /// <summary>A request body's settings made ready to train, or the errors by field.</summary>
    public (CreateRunRequest? Request, Dictionary<string, string[]> Errors) Prepare(System.Text.Json.JsonElement body)
    {
        var (request, errors) = RunRequestReader.ReadCreate(body, new TrainingConfig());
        if (request is null) return (null, errors);

        var config = request.Config;
        if (config.DataDir is null && config.Dataset is DatasetNames.Cifar10 or DatasetNames.ImageFolder)
            config = config with { DataDir = options.Value.DefaultDataDir(config.Dataset) };
        var (confined, outside) = Confine(config, request.SettingsAsTree);
        if (outside.Count > 0) return (null, outside);
        var problems = TrainingPreflight.Check(confined, checkDevice: !store.Shared);
        if (problems.Count > 0)
            return (null, problems.GroupBy(p => RunRequestReader.FieldName(p.Field, request.SettingsAsTree)).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        return (request with { Config = confined }, errors);
    }

    /// <summary>The config with its folders resolved, or an error for each folder outside the data roots.</summary>
    private (TrainingConfig Config, Dictionary<string, string[]> Errors) Confine(TrainingConfig config, bool asTree)
    {
        var errors = new Dictionary<string, string[]>();
        string? Check(string? folder, string field)
        {
            if (folder is null) return null;
            if (roots.Allow(folder) is { } allowed) return allowed;
            errors[field] = [$"must be a folder under one of the trainer's data roots ({roots.Describe()}); set Trainer:DataRoots to allow others."];
            return folder;
        }
        config = config with
        {
            DataDir = Check(config.DataDir, RunRequestReader.FieldName(nameof(config.DataDir), asTree)),
            CacheDir = Check(config.CacheDir, RunRequestReader.FieldName(nameof(config.CacheDir), asTree)),
        };
        return (config, errors);
    }
}
