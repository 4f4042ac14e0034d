using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireSimClr.Contracts;

/// <summary>
/// How the contract travels as JSON, over HTTP and SignalR alike: web (camelCase) names, enums as
/// strings, and NaN/Infinity allowed because a diverging loss is a value worth showing.
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the contract's settings to options a framework created (HTTP JSON, SignalR payloads).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        return options;
    }
}
