using AspireSimClr.Dashboard.Services;

namespace AspireSimClr.Dashboard;

/// <summary>Browser downloads served through the dashboard, which holds the trainer's address and key.</summary>
public static class Downloads
{
    public static void MapDownloads(this WebApplication app)
    {
        app.MapGet("/download/{id}/metrics.csv", async (string id, TrainerApiClient api, CancellationToken ct) =>
        {
            var series = new MetricSeries();
            try
            {
                series.AppendHistory(await api.GetMetricsAsync(id, 0, ct));
            }
            catch (HttpRequestException ex)
            {
                return Unreachable(ex);
            }
            return Results.Text(series.ToCsv(), "text/csv");
        });
        app.MapGet("/download/{id}/embedding-sample.png", (string id, TrainerApiClient api, HttpContext context, CancellationToken ct) =>
            ForwardAsync(() => api.DownloadAsync(id, "embeddings/sample.png", ct), context, (response, body) => Results.Stream(body, "image/png"), ct));
        // Thumbnails of a run's search index; their links carry the index's build time, so they may be kept for a while.
        app.MapGet("/download/{id}/index/images/{entry}.png", (string id, string entry, TrainerApiClient api, HttpContext context, CancellationToken ct) =>
            ForwardAsync(() => api.GetIndexedImageAsync(id, entry, ct), context, (response, body) =>
            {
                context.Response.Headers.CacheControl = "private, max-age=3600";
                return Results.Stream(body, "image/png");
            }, ct));
        app.MapGet("/download/{id}/{artifact:regex(^(checkpoint|encoder)$)}", (string id, string artifact, TrainerApiClient api, HttpContext context, CancellationToken ct) =>
            ForwardAsync(() => api.DownloadAsync(id, artifact, ct), context, (response, body) => AsFile(response, body, $"{id}-{artifact}"), ct));
        // The model's options (input, projection, classifier) pass through; the trainer checks them.
        app.MapGet("/download/{id}/encoder.onnx", (string id, TrainerApiClient api, HttpContext context, CancellationToken ct) =>
            ForwardAsync(() => api.DownloadAsync(id, "encoder.onnx" + context.Request.QueryString, ct), context, (response, body) => AsFile(response, body, $"{id}-encoder.onnx"), ct));
    }

    private static IResult AsFile(HttpResponseMessage response, Stream body, string fallbackName)
    {
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName ?? fallbackName;
        return Results.Stream(body, "application/octet-stream", name.Trim('"'));
    }

    /// <summary>Streams a file of a run from the trainer to the browser; the trainer's refusal or absence as a problem.</summary>
    private static async Task<IResult> ForwardAsync(Func<Task<HttpResponseMessage>> download, HttpContext context,
        Func<HttpResponseMessage, Stream, IResult> result, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await download();
        }
        catch (HttpRequestException ex)
        {
            return Unreachable(ex);
        }
        context.Response.RegisterForDispose(response);
        // The trainer's refusal (a problem naming what is wrong) reaches the browser as it was given.
        if (!response.IsSuccessStatusCode)
            return response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? Results.Content(await response.Content.ReadAsStringAsync(ct), "application/problem+json", statusCode: (int)response.StatusCode)
                : Results.StatusCode((int)response.StatusCode);
        return result(response, await response.Content.ReadAsStreamAsync(ct));
    }

    private static IResult Unreachable(HttpRequestException ex) => ex.StatusCode is { } status
        ? Results.Problem(statusCode: (int)status, title: "The trainer refused the download", detail: ex.Message)
        : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The trainer cannot be reached", detail: ex.Message);
}
