using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// At most <c>permits</c> requests per client in each fixed window, counted when a request arrives.
/// ASP.NET Core's rate-limiting middleware does the same but keeps a 100 ms heartbeat timer per
/// partitioned limiter for the life of the process: ten wake-ups a second per limiter, in every process,
/// each of which can take a core from a training step (scripts/bench-app.sh counts those preemptions).
/// This one has no timer: a client's window is renewed by its next request once the window is over.
/// </summary>
public sealed class FixedWindowLimiter(int permits, TimeSpan window, TimeProvider time)
{
    private const int PruneAbove = 1024;
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = [];

    /// <summary>Takes one permit of <paramref name="client"/>'s window; when none is left, says how long until the next window.</summary>
    public bool TryAcquire(string client, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        lock (_windows)
        {
            if (_windows.Count > PruneAbove)
                foreach (var stale in _windows.Where(w => now - w.Value.Start >= window).Select(w => w.Key).ToList()) _windows.Remove(stale);
            if (!_windows.TryGetValue(client, out var current) || now - current.Start >= window) current = (now, 0);
            if (current.Count >= permits)
            {
                retryAfter = current.Start + window - now;
                return false;
            }
            _windows[client] = (current.Start, current.Count + 1);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>The 429 answer to a client with no permit left: ProblemDetails, and Retry-After in whole seconds (at least 1).</summary>
    public static IResult TooManyRequests(HttpContext http, TimeSpan retryAfter, string title, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title, detail: detail);
    }
}
