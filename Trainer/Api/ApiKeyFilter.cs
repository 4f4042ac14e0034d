using System.Security.Cryptography;
using System.Text;
using AspireSimClr.Trainer.Runs;
using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Api;

/// <summary>Requires the configured API key in the X-Api-Key header; open when no key is configured.</summary>
public sealed class ApiKeyFilter(IOptions<TrainerOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.ApiKey;
        if (string.IsNullOrEmpty(expected)) return next(context);
        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))) return next(context);
        return ValueTask.FromResult<object?>(Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
            detail: $"Changing runs needs the trainer's API key in the {Header} header."));
    }
}
