using System.Security.Cryptography;
using System.Text;
using AspireSimClr.Trainer.Runs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

/// <summary>The trainer's API key in the X-Api-Key header.</summary>
public static class ApiKey
{
    public const string Header = "X-Api-Key";

    /// <summary>True when no key is configured or the request carries it.</summary>
    public static bool IsPresented(HttpContext context, string? expected) =>
        string.IsNullOrEmpty(expected)
        || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers[Header].ToString()), Encoding.UTF8.GetBytes(expected));

    public static IResult Required(string what) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
        detail: $"{what} needs the trainer's API key in the {Header} header.");
}

/// <summary>Marks an endpoint that always needs the API key (the OpenAPI document requires it there).</summary>
public sealed class ApiKeyRequiredMetadata;

public static class ApiKeyEndpoints
{
    /// <summary>The endpoints need the API key (when one is configured); without it they answer 401.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, ApiKeyFilter>().WithMetadata(new ApiKeyRequiredMetadata()).Refuses(StatusCodes.Status401Unauthorized);
}

/// <summary>Requires the configured API key on mutating endpoints; open when no key is configured.</summary>
public sealed class ApiKeyFilter(IOptions<TrainerOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        ApiKey.IsPresented(context.HttpContext, options.Value.ApiKey)
            ? next(context)
            : ValueTask.FromResult<object?>(ApiKey.Required("Changing runs"));
}

/// <summary>
/// Requires the API key for reads too (runs, metrics, downloads, the hub) when Trainer:RequireKeyForReads
/// is true, or, when it is not set, when the trainer listens beyond loopback.
/// </summary>
public sealed class ReadAccess(IOptions<TrainerOptions> options, IServer server)
{
    private bool? _keyRequired;

    public bool KeyRequired => _keyRequired ??= options.Value.RequireKeyForReads
        ?? ListensBeyondLoopback(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    public static bool ListensBeyondLoopback(IEnumerable<string> addresses) => addresses.Any(address =>
    {
        var host = BindingAddress.Parse(address).Host;
        return !(host is "localhost" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)));
    });

    public async Task Guard(HttpContext context, RequestDelegate next)
    {
        bool read = context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments(TrainingHubContract.Path)
            || context.Request.Path.StartsWithSegments("/openapi");
        if (read && KeyRequired && !ApiKey.IsPresented(context, options.Value.ApiKey))
        {
            await ApiKey.Required("Reading from this trainer").ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
