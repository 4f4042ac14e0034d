using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Cli;

/// <summary>
/// One command-line flag per setting, as <see cref="ConfigSchema"/> describes it (PascalCase →
/// --kebab-case, with its help, choices, bounds and default), plus --config for a JSON file (the
/// config tree, or the flat shape of version 1); flags given on the command line override the
/// file, which overrides defaults.
/// </summary>
public sealed class ConfigOptions
{
    private static readonly JsonSerializerOptions ConfigFileJson = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();
    private readonly List<(ConfigSetting Setting, Option<string> Option)> _flags = [];

    public ConfigOptions()
    {
        foreach (var setting in ConfigSchema.Settings)
        {
            var details = new List<string>();
            if (setting.Choices is { } choices) details.Add(string.Join(", ", choices));
            if (setting.DescribeBounds() is { } bounds) details.Add(bounds);
            details.Add($"default: {Format(setting.Default)}");
            var option = new Option<string>(setting.CliFlag)
            {
                Description = $"{setting.Help} [{setting.Path}; {string.Join("; ", details)}]",
                HelpName = TypeName(setting.Type),
            };
            _flags.Add((setting, option));
        }
    }

    public Option<FileInfo> ConfigFile { get; } = new("--config") { Description = "JSON file with a run's config (as the API returns it, or flat as in version 1); flags override it." };

    public void AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        foreach (var (_, option) in _flags) command.Options.Add(option);
    }

    /// <summary>Builds the config, or throws <see cref="CliUsageException"/> naming the offending flag.</summary>
    public TrainingConfig Read(ParseResult parse, TrainingConfig? start = null)
    {
        var config = start ?? new TrainingConfig();
        if (parse.GetValue(ConfigFile) is { } file)
        {
            if (!file.Exists) throw new CliUsageException($"--config: {file.FullName} does not exist.");
            try
            {
                config = JsonSerializer.Deserialize(File.ReadAllText(file.FullName), ConfigFileJson.TypeInfo<TrainingConfig>())
                    ?? throw new CliUsageException($"--config: {file.FullName} is empty.");
            }
            catch (JsonException ex)
            {
                throw new CliUsageException($"--config: {file.FullName} is not a valid config: {ex.Message}");
            }
        }
        config = config with { };
        foreach (var (setting, option) in _flags)
        {
            if (parse.GetValue(option) is not { } text) continue;
            setting.Property.SetValue(config, Convert(text, setting.Type, option.Name));
        }
        var errors = TrainingConfigValidator.Validate(config);
        if (errors.Count > 0)
            throw new CliUsageException(string.Join(Environment.NewLine, errors.Select(e => $"--{Kebab(e.Field)}: {e.Message}")));
        return config;
    }

    public static string Kebab(string name) => ConfigSchema.Kebab(name);

    private static object? Convert(string text, Type type, string flag)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target != type && text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            if (target == typeof(string)) return text;
            if (target == typeof(bool)) return bool.Parse(text);
            if (target == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
            if (target == typeof(long)) return long.Parse(text, CultureInfo.InvariantCulture);
            if (target == typeof(double)) return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new CliUsageException($"{flag}: '{text}' is not a valid {TypeName(type)}.");
        }
        throw new InvalidOperationException($"Unsupported config property type {type}");
    }

    private static string TypeName(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "integer",
        var t when t == typeof(double) => "number",
        var t when t == typeof(bool) => "true|false",
        _ => "text",
    } + (Nullable.GetUnderlyingType(type) is not null ? "|auto" : "");

    private static string Format(object? value) => value switch
    {
        null => "auto",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };
}

/// <summary>Bad command-line input; the message names the flag.</summary>
public sealed class CliUsageException(string message) : Exception(message);
