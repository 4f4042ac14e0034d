using System.Threading.RateLimiting;
using AspireSimClr.Trainer.Runs;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// The trainer's request limits, checked by endpoint filters when a request arrives (no background
/// timer; see <see cref="FixedWindowLimiter"/>): changes to runs at most Trainer:MutationsPerMinute a
/// minute per client (its API key, else its address), and previews one at a time with four waiting,
/// since they run on the CPU the training uses.
/// </summary>
public sealed class RequestLimits(IOptions<TrainerOptions> options, TimeProvider time) : IDisposable
{
    private readonly FixedWindowLimiter _changes = new(Math.Max(1, options.Value.MutationsPerMinute), TimeSpan.FromMinutes(1), time);
    private readonly ConcurrencyLimiter _previews = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = 1, QueueLimit = 4, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async ValueTask<object?> LimitChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string client = http.Request.Headers[ApiKey.Header].ToString() is { Length: > 0 } key ? "key:" + key : "ip:" + http.Connection.RemoteIpAddress;
        if (_changes.TryAcquire(client, out var retryAfter)) return await next(context);
        return FixedWindowLimiter.TooManyRequests(http, retryAfter, "Too many changes", "This client changes runs too often; wait a moment and try again.");
    }

    public async ValueTask<object?> LimitPreviews(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        RateLimitLease lease;
        try
        {
            lease = await _previews.AcquireAsync(1, context.HttpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;   // the client left while waiting its turn
        }
        using (lease)
        {
            if (lease.IsAcquired) return await next(context);
        }
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many previews",
            detail: "Other previews are being drawn; wait a moment and try again.");
    }

    public void Dispose() => _previews.Dispose();
}

public static class RequestLimitsExtensions
{
    /// <summary>Counts the endpoints' requests against the client's changes per minute.</summary>
    public static TBuilder RequireChangeLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<RequestLimits>().LimitChanges(context, next));

    /// <summary>Lets one request of the endpoints run at a time, four wait, the rest get 429.</summary>
    public static TBuilder RequirePreviewLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<RequestLimits>().LimitPreviews(context, next));
}
