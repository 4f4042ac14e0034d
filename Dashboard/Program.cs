using AspireSimClr.Dashboard;
using AspireSimClr.Dashboard.Components;
using AspireSimClr.Dashboard.Services;
using AspireSimClr.Dashboard.SignIn;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

builder.AddDashboardSignIn();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddTransient<ApiKeyHandler>();
// "http://trainer" is resolved by service discovery from the AppHost's WithReference(trainer).
// RemoveAllResilienceHandlers (EXTEXP0001) is marked experimental; it replaces the defaults' handler for this one client.
#pragma warning disable EXTEXP0001
var trainerAddress = new Uri(builder.Configuration["Trainer:BaseAddress"] ?? "http://trainer");
builder.Services.AddHttpClient<TrainerApiClient>(client => client.BaseAddress = trainerAddress)
    .AddHttpMessageHandler<ApiKeyHandler>()
    // Pages wait on these calls: with the trainer down (its proxy still accepting connections) they
    // must fail within a few seconds, not after the default pipeline's 30 s of retries. One quick
    // retry covers a blip; after two failures the circuit breaker answers at once for a while.
    .RemoveAllResilienceHandlers()
    .AddStandardResilienceHandler(options =>
    {
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(3);
        options.CircuitBreaker.MinimumThroughput = 2;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    });
// Downloads may wait for an export (an ONNX model with its classifier trains one first) and an index build embeds a whole
// dataset: minutes, not the standard pipeline's 10 s per attempt, and never retried (a retry would start the work again).
builder.Services.AddHttpClient(TrainerApiClient.DownloadClient, client =>
    {
        client.BaseAddress = trainerAddress;
        client.Timeout = TimeSpan.FromMinutes(30);
    })
    .AddHttpMessageHandler<ApiKeyHandler>()
    .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
builder.Services.AddSingleton<TrainingHubClient>();
builder.Services.AddSingleton<ITrainingHub>(sp => sp.GetRequiredService<TrainingHubClient>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingHubClient>());
// Per circuit: the pages' live views of runs, sweeps and the system.
builder.Services.AddScoped<AspireSimClr.Dashboard.Services.Live.LiveTrainer>();

var app = builder.Build();
app.MapDefaultEndpoints();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapDashboardSignIn();
app.MapStaticAssets();
app.MapDownloads();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

public partial class Program;
