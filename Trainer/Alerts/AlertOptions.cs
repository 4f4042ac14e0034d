using Microsoft.Extensions.Options;

namespace AspireSimClr.Trainer.Alerts;

/// <summary>Where and how alerts are posted, bound from the "Alerts" configuration section (AppHost parameter alert-webhooks).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Absolute http(s) URLs, comma-separated; each alert is posted to every one. Empty: no alerts.</summary>
    public string Webhooks { get; set; } = "";

    /// <summary>Tries after the first when a webhook does not answer, times out, or answers 408, 429 or 5xx.</summary>
    public int RetryAttempts { get; set; } = 4;

    /// <summary>The pause before the first retry; each next one doubles it (a 429's Retry-After is taken when longer, up to a minute).</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>How long one try may take.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Alerts waiting to be sent; beyond it the oldest is dropped (and counted in the log), so training never waits on a webhook.</summary>
    public int QueueLength { get; set; } = 100;

    /// <summary>The webhooks (those <see cref="Problems"/> refuses left out).</summary>
    public IReadOnlyList<Uri> Urls => Entries.Select(Webhook).OfType<Uri>().ToList();

    private IEnumerable<string> Entries => Webhooks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The entry as an absolute http(s) URL, or null.</summary>
    private static Uri? Webhook(string entry) =>
        Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    /// <summary>The configuration's problems, each naming its setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var entry in Entries.Where(entry => Webhook(entry) is null))
            problems.Add($"Alerts:Webhooks: '{entry}' is not an absolute http or https URL.");
        if (RetryAttempts is < 0 or > 10) problems.Add("Alerts:RetryAttempts must be from 0 to 10.");
        if (!(RetryDelaySeconds is >= 0 and <= 60)) problems.Add("Alerts:RetryDelaySeconds must be from 0 to 60.");
        if (!(TimeoutSeconds is > 0 and <= 120)) problems.Add("Alerts:TimeoutSeconds must be above 0 and at most 120.");
        if (QueueLength is < 1 or > 10_000) problems.Add("Alerts:QueueLength must be from 1 to 10000.");
        return problems;
    }
}

/// <summary>Refuses to start with alert settings that cannot work, naming each setting.</summary>
public sealed class AlertOptionsValidation : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
