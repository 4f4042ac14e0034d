using AspireSimClr.Engine.Methods.BarlowTwins;
using AspireSimClr.Engine.Methods.Byol;
using AspireSimClr.Engine.Methods.Dino;
using AspireSimClr.Engine.Methods.MocoV2;
using AspireSimClr.Engine.Methods.SimClr;
using AspireSimClr.Engine.Methods.Vicreg;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods;

/// <summary>The methods by name (<see cref="MethodNames"/>). A new method is a folder beside these and one line here.</summary>
public static class SslMethods
{
    private sealed record Registration(Func<TrainingConfig, OnlineNetwork> CreateOnline, Func<TrainingConfig, IReadOnlyList<TrainingConfig>> Views, Func<TrainingConfig, Device, ISslMethod> Create);

    private static readonly Dictionary<string, Registration> Registry = new()
    {
        [MethodNames.SimClr] = new(SimClrMethod.CreateOnline, ProjectionMethod.ViewsOf, (config, device) => new SimClrMethod(config, device)),
        [MethodNames.Byol] = new(ByolMethod.CreateOnline, ByolMethod.ViewsOf, (config, device) => new ByolMethod(config, device)),
        [MethodNames.MocoV2] = new(MocoV2Method.CreateOnline, ProjectionMethod.ViewsOf, (config, device) => new MocoV2Method(config, device)),
        [MethodNames.Vicreg] = new(VicregMethod.CreateOnline, ProjectionMethod.ViewsOf, (config, device) => new VicregMethod(config, device)),
        [MethodNames.BarlowTwins] = new(BarlowTwinsMethod.CreateOnline, ProjectionMethod.ViewsOf, (config, device) => new BarlowTwinsMethod(config, device)),
        [MethodNames.Dino] = new(DinoMethod.CreateOnline, ProjectionMethod.ViewsOf, (config, device) => new DinoMethod(config, device)),
    };

    /// <summary>The method of <paramref name="config"/>, its networks initialised from the global generator, on <paramref name="device"/>.</summary>
    public static ISslMethod Create(TrainingConfig config, Device device) => Find(config).Create(config, device);

    /// <summary>An untrained online network of the config's method and architecture, on the CPU (for evaluation, or a lower-precision copy).</summary>
    public static OnlineNetwork CreateOnline(TrainingConfig config) => Find(config).CreateOnline(config);

    /// <summary>The augmentation settings of each of the method's views (what <see cref="ISslMethod.Views"/> gives), without building its networks.</summary>
    public static IReadOnlyList<TrainingConfig> Views(TrainingConfig config) => Find(config).Views(config);

    private static Registration Find(TrainingConfig config) => Registry.TryGetValue(config.Method, out var registration)
        ? registration
        : throw new InvalidConfigException([new ConfigError(nameof(TrainingConfig.Method), $"unknown method '{config.Method}'; choose one of {string.Join(", ", Registry.Keys)}.")]);
}
