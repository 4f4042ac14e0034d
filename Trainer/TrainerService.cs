using AspireSimClr.Trainer.Api;
using AspireSimClr.Trainer.Hubs;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Telemetry;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer;

/// <summary>Composition of the trainer service: run store, queue worker, API, hub and telemetry.</summary>
public static class TrainerService
{
    /// <summary>Name of the connection string of the Redis server that carries SignalR messages between trainers.</summary>
    public const string RedisBackplane = "redis";
    /// <summary>Name of the connection string of a shared PostgreSQL run database.</summary>
    public const string RunsDatabase = "runs";

    public static WebApplicationBuilder AddTrainerService(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainerOptions>()
            .Bind(builder.Configuration.GetSection(TrainerOptions.Section))
            .Validate(o => o.MaxConcurrentRuns >= 1, "Trainer:MaxConcurrentRuns must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // A stop from the orchestrator is waited on for a few seconds only: a run cancels within a step and
        // saves its checkpoint well inside this; one that does not is marked interrupted at the next start.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // ConnectionStrings:runs (what Aspire's AddPostgres(..).AddDatabase("runs") injects) selects a PostgreSQL database
        // several trainers share, through Aspire's Npgsql integration (its data source, a health check on /health, and
        // Npgsql's traces and metrics); without it the runs stay in the embedded SQLite file.
        bool shared = builder.Configuration.GetConnectionString(RunsDatabase) is { Length: > 0 };
        if (shared) builder.AddNpgsqlDataSource(RunsDatabase);
        builder.Services.AddSingleton(sp => new RunStore(shared
            ? new Runs.Storage.PostgresRunDatabase(sp.GetRequiredService<Npgsql.NpgsqlDataSource>())
            : new Runs.Storage.SqliteRunDatabase(sp.GetRequiredService<IOptions<TrainerOptions>>().Value.DatabasePath)));
        builder.Services.AddSingleton(sp => new DataRoots(sp.GetRequiredService<IOptions<TrainerOptions>>().Value.AllowedDataRoots));
        builder.Services.AddSingleton<TrainingBroadcaster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingBroadcaster>());
        builder.Services.AddSingleton<RunCoordinator>();
        builder.Services.AddSingleton<Sweeps.SweepSearchDriver>();
        builder.Services.AddOptions<Alerts.AlertOptions>()
            .Bind(builder.Configuration.GetSection(Alerts.AlertOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Alerts.AlertOptions>, Alerts.AlertOptionsValidation>();
        builder.Services.AddSingleton<Alerts.AlertSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Alerts.AlertSender>());
        builder.Services.AddSingleton<Alerts.RunAlerts>();
        builder.Services.AddSingleton<RunArtifacts>();
        if (shared) builder.Services.AddSingleton<PgVectorSearch>();
        builder.Services.AddSingleton(sp => new RunSearchIndex(sp.GetRequiredService<RunArtifacts>(), sp.GetRequiredService<IOptions<TrainerOptions>>(),
            sp.GetRequiredService<ILogger<RunSearchIndex>>(), sp.GetService<PgVectorSearch>()));
        builder.Services.AddSingleton<TrainerTelemetry>();
        builder.Services.AddHostedService<TrainingWorker>();

        builder.Services.AddSingleton<ReadAccess>();
        builder.Services.AddSingleton<RequestedSettings>();
        builder.Services.AddSingleton<RequestLimits>();
        builder.Services.AddProblemDetails();
        // The API takes small JSON bodies only; larger ones are refused before they are read.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1 << 20);
        builder.Services.AddOpenApi(options => options.Describe());
        // The trainer's source-generated types come first; a trimmed publish has no reflection fallback behind them.
        builder.Services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions).TypeInfoResolverChain.Insert(0, TrainerJsonContext.Default));
        var signalR = builder.Services.AddSignalR().AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions).TypeInfoResolverChain.Insert(0, TrainerJsonContext.Default));
        // With ConnectionStrings:redis (what Aspire's AddRedis("redis") injects) every trainer's hub sends through Redis, so a
        // dashboard connected to any trainer sees the runs all of them train.
        if (builder.Configuration.GetConnectionString(RedisBackplane) is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("simclr"));
        return builder;
    }

    public static WebApplication MapTrainerService(this WebApplication app)
    {
        // A request the framework itself rejects (body too large, unreadable) keeps its 4xx status.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.Use(app.Services.GetRequiredService<ReadAccess>().Guard);
        app.MapOpenApi();
        app.MapRunsApi();
        app.MapDatasetsApi();
        app.MapPreviewsApi();
        app.MapEmbeddingsApi();
        app.MapSearchApi();
        app.MapSweepsApi();
        app.MapSystemApi();
        app.MapHub<TrainingHub>(TrainingHub.Path);
        app.MapGet("/", () => Results.Redirect("/openapi/v1.json")).ExcludeFromDescription();
        return app;
    }
}
