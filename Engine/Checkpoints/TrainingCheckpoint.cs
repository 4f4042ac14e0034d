using AspireSimClr.Engine.Runtime;
using System.Text.Json;
using AspireSimClr.Engine.Serialization;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Optimization;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Checkpoints;

/// <summary>Where a run stands: enough to continue it exactly as if it had never stopped.</summary>
public sealed record TrainingPosition(
    TrainingConfig Config,
    int Epoch,
    int BatchInEpoch,
    long GlobalStep,
    Normalization Normalization,
    string AugmentationGeneratorState,
    double EpochLossSum,
    int EpochLossCount,
    bool EvaluationPending = false);

/// <summary>
/// One file holding position metadata (JSON), the online network's weights, the optimiser state and
/// the method's own state (a momentum target, a queue; nothing for SimCLR). It is
/// written to a temporary file and renamed into place, so a crash never leaves a torn checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Magic = "ASPIRE-SIMCLR-CHECKPOINT-1";
    public const string LatestFileName = "latest.ckpt";
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions { WriteIndented = false }.WithEngineTypes();

    public static void Save(string path, TrainingPosition position, ISslMethod method, ITrainingOptimizer optimizer)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // On disk before it replaces the previous checkpoint: a crash leaves the old file or the new one, never half of one.
        AtomicFile.Write(path, file =>
        {
            using var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(position, Json.EngineTypeInfo<TrainingPosition>()));
            method.Online.save(writer);
            optimizer.SaveState(writer);
            method.SaveState(writer);
        }, flushToDisk: true);
    }

    public static TrainingPosition ReadPosition(string path)
    {
        using var reader = OpenChecked(path);
        return ReadPosition(reader, path);
    }

    /// <summary>Loads the network, the optimiser and the method's state, all built from the checkpoint's config, to continue training.</summary>
    public static TrainingPosition Load(string path, ISslMethod method, ITrainingOptimizer optimizer)
    {
        using var reader = OpenChecked(path);
        var position = ReadPosition(reader, path);
        ModuleState.Load(method.Online, reader);
        optimizer.LoadState(reader);
        method.LoadState(reader);
        return position;
    }

    /// <summary>Loads only the online network's weights (for evaluation, embedding and export).</summary>
    public static TrainingPosition LoadNetwork(string path, OnlineNetwork network)
    {
        using var reader = OpenChecked(path);
        var position = ReadPosition(reader, path);
        network.load(reader);
        return position;
    }

    public static byte[] GeneratorState(Generator generator)
    {
        using var state = generator.get_state();
        return HostArrays.ToArray<byte>(state);
    }

    public static void RestoreGenerator(Generator generator, string base64State)
    {
        var bytes = Convert.FromBase64String(base64State);
        using var state = tensor(bytes, [bytes.Length], ScalarType.Byte);
        generator.set_state(state);
    }

    private static BinaryReader OpenChecked(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint {path} does not exist.", path);
        var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{path} is not an AspireSimClr checkpoint.");
            return reader;
        }
        catch (EndOfStreamException)
        {
            reader.Dispose();
            throw new InvalidDataException($"{path} is not an AspireSimClr checkpoint (too short).");
        }
    }

    private static TrainingPosition ReadPosition(BinaryReader reader, string path) =>
        JsonSerializer.Deserialize(reader.ReadString(), Json.EngineTypeInfo<TrainingPosition>())
        ?? throw new InvalidDataException($"{path}: empty checkpoint metadata.");
}
