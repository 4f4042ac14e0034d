using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// Reads an uploaded image as the request body (Content-Type image/*) into memory, never to disk, within
/// <see cref="MaxBytes"/>: 415 for another content type, 413 for a larger body.
/// </summary>
public static class ImageUpload
{
    public const int MaxBytes = 8 * 1024 * 1024;

    public static async Task<(byte[]? Image, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var type = request.ContentType ?? "no content type";
        if (!type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be an image",
                $"Send the image itself as the body with its type (image/png, image/jpeg, …); got '{(type.Length <= 60 ? type : type[..60] + "…")}'."));
        // The server's limit for other bodies is lower; an image may use this endpoint's.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBytes;
        if (await JsonBody.ReadAtMostAsync(request, MaxBytes, cancellationToken) is not { } image) return (null, TooLarge());
        return image.Length == 0
            ? (null, Problems.Invalid(new Dictionary<string, string[]> { ["image"] = ["is empty: send the image as the request body."] }, "No image was sent."))
            : (image, null);
    }

    private static ProblemHttpResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "The image is too large",
        $"An image may have at most {MaxBytes / (1024 * 1024)} MiB.");
}
