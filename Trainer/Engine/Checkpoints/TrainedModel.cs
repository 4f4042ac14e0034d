using TorchSharp;
using AspireSimClr.Trainer.Engine.Augmentation;
using AspireSimClr.Trainer.Engine.Models;
using AspireSimClr.Trainer.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Checkpoints;

/// <summary>A network restored from a checkpoint for evaluation, embedding or export.</summary>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(TrainingPosition position, SimClrNetwork network, Device device)
    {
        Position = position;
        Network = network;
        Device = device;
    }

    public TrainingPosition Position { get; }
    public SimClrConfig Config => Position.Config;
    public SimClrNetwork Network { get; }
    public Device Device { get; }
    public Normalization Normalization => Position.Normalization;

    public static TrainedModel Load(string checkpointPath, string? deviceChoice = null)
    {
        var position = TrainingCheckpoint.ReadPosition(checkpointPath);
        var device = DeviceSelector.Resolve(deviceChoice ?? position.Config.Device);
        var network = SimClrNetwork.Create(position.Config);
        TrainingCheckpoint.Load(checkpointPath, network, optimizer: null);
        network.to(device);
        network.eval();
        return new TrainedModel(position, network, device);
    }

    public void Dispose() => Network.Dispose();
}
