using AspireSimClr.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods;

/// <summary>
/// A method that trains an encoder and projection head on two views augmented alike, optionally with smaller crops beside
/// them (multi-crop), and keeps nothing beside the network (SimCLR, VICReg, Barlow Twins): only its loss on the views'
/// projections differs.
/// </summary>
public abstract class ProjectionMethod : ISslMethod
{
    private readonly ProjectionNetwork _network;

    protected ProjectionMethod(TrainingConfig config, Device device)
    {
        Config = config;
        _network = ProjectionNetwork.Create(config);
        _network.to(device);
        Views = ViewsOf(config);
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => ProjectionNetwork.Create(config);

    /// <summary>Two views augmented alike, then <see cref="TrainingConfig.SmallCrops"/> small crops.</summary>
    public static IReadOnlyList<TrainingConfig> ViewsOf(TrainingConfig config) =>
        [config, config, .. Enumerable.Repeat(SmallCropOf(config), config.SmallCrops)];

    /// <summary>A small crop: the views' augmentation at <see cref="TrainingConfig.SmallCropSize"/> over a smaller area.</summary>
    public static TrainingConfig SmallCropOf(TrainingConfig config) =>
        config with { ImageSize = config.SmallCropSize, CropScaleMin = config.SmallCropScaleMin, CropScaleMax = config.SmallCropScaleMax };

    protected TrainingConfig Config { get; }

    public OnlineNetwork Online => _network;

    public IReadOnlyList<TrainingConfig> Views { get; }

    public Tensor Loss(MethodBatch batch) => batch.ViewCount == 2 ? Loss(batch.OutputsOf(0), batch.OutputsOf(1)) : MultiCropLoss(batch);

    /// <summary>The loss on two views' projections [N, d].</summary>
    protected abstract Tensor Loss(Tensor view1, Tensor view2);

    /// <summary>
    /// With small crops: the mean of the two-view loss over the pairs that hold a full-size view (the two full-size views,
    /// and each of them with each small crop), as SwAV and DINO pair their crops; small crops are not paired together.
    /// </summary>
    protected virtual Tensor MultiCropLoss(MethodBatch batch)
    {
        using var scope = NewDisposeScope();
        var terms = new List<Tensor> { Loss(batch.OutputsOf(0), batch.OutputsOf(1)) };
        for (int full = 0; full < 2; full++)
            for (int crop = 2; crop < batch.ViewCount; crop++)
                terms.Add(Loss(batch.OutputsOf(full), batch.OutputsOf(crop)));
        return stack(terms).mean().MoveToOuterDisposeScope();
    }

    public void AfterStep(TrainingProgress progress) { }

    public void SaveState(BinaryWriter writer) { }

    public void LoadState(BinaryReader reader) { }

    public void Dispose() => _network.Dispose();
}
