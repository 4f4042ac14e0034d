using System.Text;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

var builder = DistributedApplication.CreateBuilder(args);

// Where the trainer keeps datasets, checkpoints and run records. Override with
// Parameters:data-root (user secrets, appsettings or `--Parameters:data-root=...`).
var dataRoot = builder.AddParameter(
    "data-root",
    new ConstantParameterDefault(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data"))));

// Key the trainer's mutating API endpoints require (X-Api-Key header). Generated on first run and
// persisted to the AppHost's user secrets, so `dotnet run --project AppHost` needs no setup.
var apiKey = builder.AddParameter(
    "api-key",
    new GenerateParameterDefault { MinLength = 32, Special = false },
    secret: true,
    persist: true);

// Password of the training dashboard's sign-in: generated on first run, persisted to the AppHost's
// user secrets and shown on the Aspire dashboard (parameter dashboard-password).
var dashboardPassword = builder.AddParameter(
    "dashboard-password",
    new GenerateParameterDefault { MinLength = 16, Special = false },
    secret: true,
    persist: true);

// Whether runs a crash interrupted continue by themselves when the trainer is back (else: one click on Resume).
var autoResume = builder.AddParameter("auto-resume-interrupted", new ConstantParameterDefault("false"));

// Webhooks (comma-separated http(s) URLs; Slack and Teams incoming webhooks read the body's "text") told when a run
// completes, fails or raises a health warning, and when a sweep finishes. Empty: no alerts.
var alertWebhooks = builder.AddParameter("alert-webhooks", new ConstantParameterDefault(""), secret: true);

int scaleOutTrainers = ScaleOut.Trainers(builder);
var trainer = builder.AddProject<Projects.Trainer>("trainer")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Trainer__AutoResumeInterrupted", autoResume)
    .WithEnvironment("Trainer__DataRoot", dataRoot)
    .WithEnvironment("Trainer__ApiKey", apiKey)
    .WithEnvironment("Alerts__Webhooks", alertWebhooks);

if (scaleOutTrainers > 0)
{
    // N trainers on one PostgreSQL queue, their hubs joined through Redis; a trainer that dies loses its lease and
    // another resumes its run, so the replicas resume interrupted runs by themselves.
    var dataRootValue = await dataRoot.Resource.GetValueAsync(default) ?? Path.Combine(builder.AppHostDirectory, "..", ".data");
    ScaleOut.Add(builder, dataRootValue).Attach(trainer);
    trainer.WithReplicas(scaleOutTrainers).WithEnvironment("Trainer__AutoResumeInterrupted", "true");
}
else
{
    trainer.WithRestartOnCrash();
}

trainer.WithHttpCommand(
    path: "/api/runs",
    displayName: "Quick demo run",
    commandName: "quick-demo",
    commandOptions: new HttpCommandOptions
    {
        Description = "Start a 3-epoch tiny-cnn run on the synthetic dataset.",
        IconName = "Play",
        Method = HttpMethod.Post,
        PrepareRequest = async context =>
        {
            context.Request.Headers.Add("X-Api-Key", await apiKey.Resource.GetValueAsync(context.CancellationToken));
            context.Request.Content = new StringContent(
                """{"name":"Quick demo","dataset":"synthetic","model":"tiny-cnn","epochs":3,"batchSize":64}""",
                Encoding.UTF8,
                "application/json");
        },
    });

trainer.WithHttpCommand(
    path: "/api/runs/cancel-all",
    displayName: "Cancel all runs",
    commandName: "cancel-all",
    commandOptions: new HttpCommandOptions
    {
        Description = "Cancel every queued or running training run.",
        IconName = "DismissCircle",
        ConfirmationMessage = "Cancel all queued and running training runs?",
        Method = HttpMethod.Post,
        PrepareRequest = async context =>
            context.Request.Headers.Add("X-Api-Key", await apiKey.Resource.GetValueAsync(context.CancellationToken)),
    });

builder.AddProject<Projects.Dashboard>("dashboard")
    .WithReference(trainer)
    .WaitFor(trainer)
    .WithEnvironment("Trainer__ApiKey", apiKey)
    .WithEnvironment("Dashboard__SignIn__Password", dashboardPassword)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();

/// <summary>A fixed default for a parameter that configuration (Parameters:&lt;name&gt;) can still override.</summary>
internal sealed class ConstantParameterDefault(string value) : ParameterDefault
{
    public override string GetDefaultValue() => value;

    public override void WriteToManifest(ManifestPublishingContext context) =>
        context.Writer.WriteString("value", value);
}
