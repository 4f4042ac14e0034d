using System.Text.Json;

namespace AspireSimClr.Trainer.Alerts;

/// <summary>Alerts as JSON: the contract's form (camelCase, enums as names), from the trainer's source-generated metadata.</summary>
internal static class AlertJson
{
    public static readonly JsonSerializerOptions Options = ContractJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes());
}
