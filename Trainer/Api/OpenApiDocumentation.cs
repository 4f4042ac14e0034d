using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AspireSimClr.Trainer.Api;

/// <summary>
/// What the generated OpenAPI document cannot infer: the run settings' schema (a config converts itself to and from
/// its tree of sections, so the generator sees no properties; it is written here from <see cref="ConfigSchema"/>, with
/// every setting's type, bounds, choices, default and help), the API key (required on the endpoints marked with
/// <see cref="ApiKeyRequiredMetadata"/>, optional elsewhere), the tags' descriptions, and one fixed server (the
/// AppHost's address) rather than the address the document was asked for at.
/// </summary>
public static class OpenApiDocumentation
{
    public const string ApiKeyScheme = "apiKey";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Runs"] = "Training runs: queue, follow, cancel, resume, fork, rename and delete them; their metrics and files.",
        ["Sweeps"] = "Grids, random searches and seed groups over a run's settings.",
        ["Previews"] = "What a run's augmentation makes of a few training images, before it trains.",
        ["Embeddings"] = "A run's embedding maps: a fixed sample of test images projected to 2-D, with nearest neighbours.",
        ["Datasets"] = "The datasets the trainer knows.",
        ["System"] = "The trainer's machine, devices and queue.",
    };

    public static OpenApiOptions Describe(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "AspireSimClr trainer API",
                Version = "v1",
                Description = "Queues, trains and serves self-supervised image training runs (SimCLR, BYOL, MoCo v2, VICReg). " +
                    $"Changes need the trainer's API key in the {ApiKey.Header} header; reads need it when the trainer listens beyond loopback " +
                    "(or Trainer:RequireKeyForReads is set). Live progress is on the SignalR hub at " + TrainingHubContract.Path + ".",
            };
            // The same in every copy of the document, whatever address it was asked for at.
            document.Servers = [new OpenApiServer { Url = "http://localhost:5190", Description = "The trainer as `dotnet run --project AppHost` starts it." }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKey.Header,
                    Description = "The trainer's API key (the AppHost's api-key parameter, or Trainer:ApiKey).",
                },
            };
            document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var key = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] };
            bool required = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequiredMetadata>().Any();
            operation.Security = required ? [key] : [new OpenApiSecurityRequirement(), key];
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(TrainingConfig))
            {
                schema.Type = JsonSchemaType.Object;
                schema.Description = "A run's settings as the config's sections (version 2).";
                schema.Properties = new Dictionary<string, IOpenApiSchema> { ["version"] = Version() };
                foreach (var section in ConfigSections.All) schema.Properties[section] = Section(section);
            }
            else if (type == typeof(NewRunRequest))
            {
                foreach (var section in ConfigSections.All) schema.Properties![section] = Section(section);
                schema.Properties!["version"] = Version();
            }
            return Task.CompletedTask;
        });
        return options;
    }

    private static OpenApiSchema Version() => new()
    {
        Type = JsonSchemaType.Integer, Minimum = "1", Maximum = ConfigSchema.CurrentVersion.ToString(CultureInfo.InvariantCulture),
        Description = "The config's shape: 2, sections (written today); 1, every setting flat.",
    };

    private static OpenApiSchema Section(string section) => new()
    {
        Type = JsonSchemaType.Object,
        Description = $"{ConfigSections.Title(section)} settings.",
        AdditionalPropertiesAllowed = false,
        Properties = ConfigSchema.Settings.Where(s => s.Section == section).ToDictionary(s => s.JsonName, s => (IOpenApiSchema)Setting(s)),
    };

    private static OpenApiSchema Setting(ConfigSetting setting)
    {
        var type = Nullable.GetUnderlyingType(setting.Type) ?? setting.Type;
        var schema = new OpenApiSchema
        {
            Type = (type == typeof(int) || type == typeof(long) ? JsonSchemaType.Integer
                : type == typeof(double) ? JsonSchemaType.Number
                : type == typeof(bool) ? JsonSchemaType.Boolean
                : JsonSchemaType.String) | (setting.IsNullable ? JsonSchemaType.Null : 0),
            Description = setting.Help + (setting.Methods.Count > 0 ? $" Read by {string.Join(", ", setting.Methods)}." : "") + (setting.Why is { } why ? $" ({why})" : ""),
        };
        if (type == typeof(int) || type == typeof(long)) schema.Format = type == typeof(int) ? "int32" : "int64";
        if (type == typeof(double)) schema.Format = "double";
        string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        if (setting.Min is { } min)
        {
            if (setting.MinExclusive) schema.ExclusiveMinimum = Number(min);
            else schema.Minimum = Number(min);
        }
        if (setting.Max is { } max)
        {
            if (setting.MaxExclusive) schema.ExclusiveMaximum = Number(max);
            else schema.Maximum = Number(max);
        }
        if (setting.Choices is { } choices) schema.Enum = [.. choices.Select(c => (JsonNode)JsonValue.Create(c))];
        if (setting.Default is { } value) schema.Default = DefaultValue(value);
        return schema;
    }

    // Settings' defaults are scalars; written as JSON values directly, so the trimmed CLI bundle needs no reflection.
    private static JsonNode DefaultValue(object value) => value switch
    {
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string text => JsonValue.Create(text),
        _ => throw new NotSupportedException($"A setting's default of type {value.GetType().Name} has no JSON form here."),
    };
}
