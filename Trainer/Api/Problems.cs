using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// The API's refusals, all RFC 7807 problem details (application/problem+json): a 400 names every bad field in
/// <c>errors</c>. Endpoints declare which of them they give (<see cref="ProblemMetadata"/>), so the OpenAPI
/// document lists each with its schema.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = title });

    public static ProblemHttpResult Status(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);

    public static ProblemHttpResult NotFound(string title, string detail) => Status(StatusCodes.Status404NotFound, title, detail);

    public static ProblemHttpResult Conflict(string title, string detail) => Status(StatusCodes.Status409Conflict, title, detail);

    public static ProblemHttpResult RunNotFound(string id) => NotFound("Run not found", $"There is no run with id '{id}'.");
}

internal static class ProblemMetadata
{
    /// <summary>Declares the problem statuses the endpoints answer with (400 as a validation problem).</summary>
    public static TBuilder Refuses<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (int status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest) builder.ProducesValidationProblem();
            else builder.ProducesProblem(status);
        }
        return builder;
    }

    /// <summary>Changes to runs: they need the API key and count against the client's changes per minute (429 beyond).</summary>
    public static TBuilder ChangesRuns<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireChangeLimit().RequireApiKey().Refuses(StatusCodes.Status429TooManyRequests);

    /// <summary>Reads: open, unless reads need the key (the trainer listens beyond loopback, or Trainer:RequireKeyForReads), then 401 without it.</summary>
    public static TBuilder ReadsRuns<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Refuses(StatusCodes.Status401Unauthorized);

    /// <summary>What an endpoint that reads a JSON body may answer before reading it: not JSON, too large, malformed.</summary>
    public static TBuilder ReadsJson<TBody, TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new Microsoft.AspNetCore.Http.Metadata.AcceptsMetadata(["application/json"], typeof(TBody)));
        return builder.Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }
}
