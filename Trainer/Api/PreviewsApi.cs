using System.Globalization;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

public static class PreviewsApi
{
    public const int DefaultImages = 6;

    public static RouteGroupBuilder MapPreviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/previews").WithTags("Previews").ReadsRuns();
        group.MapPost("/augmentation", Augmentation).WithName("PreviewAugmentation").RequirePreviewLimit()
            .ReadsJson<NewRunRequest, RouteHandlerBuilder>().Refuses(StatusCodes.Status429TooManyRequests)
            .WithSummary("What a run's settings (the body, as for a new run) make of a few training images: each image beside one draw of every view, " +
                "the views' crop overlap and warnings about settings that make training fail. 'images' (1-16) sets how many, 'draw' (0 = the run's own first draw) which.");
        return group;
    }

    private static async Task<Results<Ok<AugmentationPreview>, ProblemHttpResult>> Augmentation(HttpRequest http, RequestedSettings settings, ILoggerFactory loggers, string? images, string? draw, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        int count = ReadWhole(images, "images", 1, AugmentationPreviewer.MaxImages, DefaultImages, errors);
        int drawNumber = ReadWhole(draw, "draw", 0, AugmentationPreviewer.MaxDraw, 0, errors);
        if (errors.Count > 0) return Problems.Invalid(errors, "The preview's parameters are invalid.");

        var (request, problem) = await settings.ReadAsync(http, ct);
        if (request is null) return problem!;
        try
        {
            return TypedResults.Ok(AugmentationPreviewer.Render(request.Config, count, drawNumber, ct));
        }
        catch (Exception ex) when (ex is DataNotFoundException or DataFormatException or IOException or UnauthorizedAccessException)
        {
            loggers.CreateLogger(typeof(PreviewsApi)).LogInformation("Augmentation preview refused: {Problem}", ex.Message);
            return Problems.Invalid(new Dictionary<string, string[]> { [RunRequestReader.FieldName(nameof(TrainingConfig.DataDir), request.SettingsAsTree)] = [ex.Message] },
                "The images to preview cannot be read.");
        }
    }

    private static int ReadWhole(string? text, string field, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        errors[field] = [$"must be a whole number from {min} to {max}."];
        return fallback;
    }
}
