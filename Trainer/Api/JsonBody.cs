using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// Reads a JSON request body within a size and depth limit, answering 415 for another content type,
/// 413 for too large a body and 400 (naming "body") for malformed JSON, instead of letting the
/// framework's binder fail on them.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (default, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON",
                $"Send the body as application/json (got '{Shorten(request.ContentType ?? "no content type")}')."));
        if (request.ContentLength > MaxBytes) return (default, TooLarge());

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return (default, TooLarge());
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), Options);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON: {ex.Message}"] }, "The body is not valid JSON."));
        }
    }

    private static ProblemHttpResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large",
        $"A request body may have at most {MaxBytes / 1024} KiB.");

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
