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
            series.AppendHistory(await api.GetMetricsAsync(id, 0, ct));
            return Results.Text(series.ToCsv(), "text/csv");
        });
        app.MapGet("/download/{id}/{artifact:regex(^(checkpoint|encoder)$)}", async (string id, string artifact, TrainerApiClient api, HttpContext context, CancellationToken ct) =>
        {
            var response = await api.DownloadAsync(id, artifact, ct);
            context.Response.RegisterForDispose(response);
            if (!response.IsSuccessStatusCode) return Results.StatusCode((int)response.StatusCode);
            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName ?? $"{id}-{artifact}";
            return Results.Stream(await response.Content.ReadAsStreamAsync(ct), "application/octet-stream", name.Trim('"'));
        });
    }
}
