using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Checkpoints;

/// <summary>
/// Reads what <c>Module.save</c> wrote into the module's existing tensors, in place. TorchSharp's own
/// <c>Module.load</c> moves a module off the GPU and back to load it, which gives it new tensors and
/// would leave a network in flat buffers (<see cref="Flat.FlatNetwork"/>) training tensors nobody updates.
/// </summary>
public static class ModuleState
{
    public static void Load(nn.Module module, BinaryReader reader)
    {
        var state = module.state_dict();
        long entries = ReadLeb128(reader);
        if (entries != state.Count) throw new InvalidDataException($"The saved network has {entries} tensors, this one {state.Count}.");
        using var noGrad = no_grad();
        for (long i = 0; i < entries; i++)
        {
            var name = reader.ReadString();
            if (!state.TryGetValue(name, out var tensor)) throw new InvalidDataException($"The saved network has '{name}', this one does not.");
            tensor.Load(reader);
        }
    }

    /// <summary>TorchSharp's unsigned LEB128 count (its codec is internal).</summary>
    private static long ReadLeb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
            if (shift > 56) throw new InvalidDataException("A malformed count in the saved network.");
        }
    }
}
