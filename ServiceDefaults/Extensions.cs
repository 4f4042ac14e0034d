using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Common Aspire services: OpenTelemetry, health checks, service discovery and HTTP resilience.
/// Every service project references this project and calls <see cref="AddServiceDefaults{TBuilder}"/>.
/// </summary>
public static class Extensions
{
    /// <summary>Name of the trainer's <c>Meter</c> and <c>ActivitySource</c>.</summary>
    public const string TrainerTelemetryName = "AspireSimClr.Trainer";

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string BlazorHubPath = "/_blazor";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries, timeouts and circuit breaker for every HttpClient.
            http.AddStandardResilienceHandler();

            // Resolve "http://trainer" style addresses from Aspire's service discovery settings.
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(TrainerTelemetryName);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(TrainerTelemetryName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Health probes and Blazor Server's ComponentHub (/_blazor) would otherwise swamp the traces.
                        options.Filter = context => !IsNoiseRequest(context.Request.Path))
                    .AddHttpClientInstrumentation();
            });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    private static bool IsNoiseRequest(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath)
        || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(BlazorHubPath);

    private const string OtlpTimeoutKey = "OTEL_EXPORTER_OTLP_TIMEOUT";

    /// <summary>How long one export may take when OTEL_EXPORTER_OTLP_TIMEOUT is not set.</summary>
    public const int OtlpTimeoutMilliseconds = 1000;

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // The AppHost sets OTEL_EXPORTER_OTLP_ENDPOINT to the dashboard's OTLP endpoint.
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        if (useOtlpExporter)
        {
            // The exporter's default 10 s timeout (retried in memory) is also how long a stopping process waits
            // for a collector that is down; the orchestrator kills a service that takes 6 s to stop.
            if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpTimeoutKey]))
                builder.Configuration[OtlpTimeoutKey] = OtlpTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // The "live" tag marks checks that tell whether the process is responsive (used by /alive).
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (all checks: ready to take traffic) and <c>/alive</c> (checks tagged "live").
    /// Mapped in every environment: the Aspire AppHost's health check and the tests rely on <c>/health</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes stay anonymous where a service requires sign-in for everything else.
        app.MapHealthChecks(HealthEndpointPath).AllowAnonymous();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
        }).AllowAnonymous();

        return app;
    }
}
