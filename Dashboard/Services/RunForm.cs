using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace AspireSimClr.Dashboard.Services;

/// <summary>
/// The new-run form's model: every <see cref="SimClrConfig"/> setting as text, grouped, with the
/// API's field errors attached by field name.
/// </summary>
public sealed class RunForm
{
    public sealed record Field(string Name, string Label, string Group, Type Type, IReadOnlyList<string>? Choices)
    {
        public string JsonName => JsonNamingPolicy.CamelCase.ConvertName(Name);
        public bool IsBool => Type == typeof(bool);
        /// <summary>A yes/no setting that may also be left to the trainer: shown as auto, true, false.</summary>
        public bool IsAutoBool => Type == typeof(bool?);
        public bool IsOptional => Nullable.GetUnderlyingType(Type) is not null || Type == typeof(string);
    }

    public static readonly string[] Groups = ["Method", "Data", "Model", "Optimisation", "Augmentation", "Evaluation", "Runtime"];

    private static readonly Dictionary<string, string> GroupOf = new()
    {
        ["Method"] = "Method", ["Temperature"] = "Method", ["TargetMomentum"] = "Method", ["PredictorHiddenDim"] = "Method", ["QueueSize"] = "Method",
        ["VicregInvarianceWeight"] = "Method", ["VicregVarianceWeight"] = "Method", ["VicregCovarianceWeight"] = "Method",
        ["Dataset"] = "Data", ["DataDir"] = "Data", ["CacheDir"] = "Data", ["Download"] = "Data", ["ImageSize"] = "Data", ["TrainSubset"] = "Data",
        ["TestSubset"] = "Data", ["SyntheticTrainSize"] = "Data", ["SyntheticTestSize"] = "Data",
        ["Model"] = "Model", ["EncoderWidth"] = "Model", ["ProjectionHiddenDim"] = "Model", ["ProjectionDim"] = "Model",
        ["KnnEveryEpochs"] = "Evaluation", ["KnnK"] = "Evaluation", ["KnnTemperature"] = "Evaluation", ["LinearProbe"] = "Evaluation",
        ["LinearProbeEpochs"] = "Evaluation", ["LinearProbeLearningRate"] = "Evaluation",
        ["CheckpointEveryEpochs"] = "Runtime", ["Device"] = "Runtime", ["Precision"] = "Runtime", ["ChannelsLast"] = "Runtime", ["Threads"] = "Runtime", ["Seed"] = "Runtime",
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> ChoicesOf = new()
    {
        ["Method"] = MethodNames.All, ["Dataset"] = DatasetNames.All, ["Model"] = ModelNames.All, ["Optimizer"] = OptimizerNames.All,
        ["Precision"] = PrecisionNames.All,
    };

    private const string Auto = "auto";
    private static readonly string[] AutoBoolChoices = [Auto, "true", "false"];

    private static readonly string[] AugmentationSettings =
        ["Crop", "Flip", "Brightness", "Contrast", "Saturation", "Hue", "ColorJitter", "Grayscale", "Blur", "Solarize"];

    public static IReadOnlyList<Field> Fields { get; } = typeof(SimClrConfig).GetProperties().Where(p => p.CanWrite)
        .Select(p => new Field(p.Name, Label(p.Name), GroupFor(p.Name), p.PropertyType,
            ChoicesOf.GetValueOrDefault(p.Name) ?? (p.PropertyType == typeof(bool?) ? AutoBoolChoices : null)))
        .ToList();

    public string Name { get; set; } = "";
    public string Tags { get; set; } = "";
    public string Notes { get; set; } = "";
    public Dictionary<string, string> Values { get; } = [];
    public Dictionary<string, bool> Flags { get; } = [];
    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    public RunForm() => Load(new SimClrConfig());

    public void Load(SimClrConfig config)
    {
        foreach (var field in Fields)
        {
            var value = typeof(SimClrConfig).GetProperty(field.Name)!.GetValue(config);
            if (field.IsBool) Flags[field.Name] = (bool)value!;
            else Values[field.Name] = value switch
            {
                null => field.IsAutoBool ? Auto : "",
                bool b => b ? "true" : "false",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }
    }

    /// <summary>Whether the chosen method reads <paramref name="field"/>; the form hides the other methods' settings.</summary>
    public bool Shows(Field field) => MethodNames.Uses(Values[nameof(SimClrConfig.Method)], field.Name);

    public string? ErrorFor(string jsonName) => Errors.TryGetValue(jsonName, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>The request body: name, tags, notes and every setting; text that is not a number goes as text, for the API to name.</summary>
    public Dictionary<string, object?> ToRequest()
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["tags"] = Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ["notes"] = Notes,
        };
        foreach (var field in Fields)
        {
            if (field.IsBool) { body[field.JsonName] = Flags[field.Name]; continue; }
            var text = Values[field.Name].Trim();
            var type = Nullable.GetUnderlyingType(field.Type) ?? field.Type;
            body[field.JsonName] = (text.Length == 0 || (field.IsAutoBool && text == Auto)) && field.IsOptional ? null
                : field.IsAutoBool && bool.TryParse(text, out var flag) ? flag
                : type == typeof(string) ? text
                : type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : (type == typeof(int) || type == typeof(long)) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
                : text;
        }
        return body;
    }

    private static string GroupFor(string name) =>
        GroupOf.TryGetValue(name, out var group) ? group
        : AugmentationSettings.Any(name.StartsWith) ? "Augmentation"
        : "Optimisation";

    private static string Label(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
