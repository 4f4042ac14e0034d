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
        if (await ReadAtMostAsync(request, MaxBytes, cancellationToken) is not { } bytes) return (default, TooLarge());
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON: {ex.Message}"] }, "The body is not valid JSON."));
        }
    }

    /// <summary>The whole body, or null when it is (or says it is) longer than <paramref name="maxBytes"/>; never more is read.</summary>
    public static async Task<byte[]?> ReadAtMostAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large",
        $"A request body may have at most {MaxBytes / 1024} KiB.");

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
