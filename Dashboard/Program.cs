using AspireSimClr.Dashboard;
using AspireSimClr.Dashboard.Components;
using AspireSimClr.Dashboard.Services;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddTransient<ApiKeyHandler>();
// "http://trainer" is resolved by service discovery from the AppHost's WithReference(trainer).
builder.Services.AddHttpClient<TrainerApiClient>(client => client.BaseAddress = new Uri(builder.Configuration["Trainer:BaseAddress"] ?? "http://trainer"))
    .AddHttpMessageHandler<ApiKeyHandler>();
builder.Services.AddSingleton<TrainingHubClient>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<TrainingHubClient>());

var app = builder.Build();
app.MapDefaultEndpoints();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapDownloads();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

public partial class Program;
