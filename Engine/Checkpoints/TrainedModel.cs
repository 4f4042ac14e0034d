using TorchSharp;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Checkpoints;

/// <summary>A network restored from a checkpoint for evaluation, embedding or export.</summary>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(TrainingPosition position, OnlineNetwork network, Device device)
    {
        Position = position;
        Network = network;
        Device = device;
    }

    public TrainingPosition Position { get; }
    public TrainingConfig Config => Position.Config;
    public OnlineNetwork Network { get; }
    public Device Device { get; }
    public Normalization Normalization => Position.Normalization;

    public static TrainedModel Load(string checkpointPath, string? deviceChoice = null)
    {
        var position = TrainingCheckpoint.ReadPosition(checkpointPath);
        var device = DeviceSelector.Resolve(deviceChoice ?? position.Config.Device);
        var network = SslMethods.CreateOnline(position.Config);
        TrainingCheckpoint.LoadNetwork(checkpointPath, network);
        network.to(device);
        network.eval();
        return new TrainedModel(position, network, device);
    }

    public void Dispose() => Network.Dispose();
}
