using AspireSimClr.Engine.Runtime;
using System.Text;

namespace AspireSimClr.Engine.Checkpoints;

/// <summary>Writes NumPy .npy files (format 1.0, little-endian, C order) that <c>numpy.load</c> reads.</summary>
public static class NpyWriter
{
    public static void WriteFloat32(string path, float[] values, params long[] shape) =>
        Write(path, "<f4", shape, values.Length, writer => { foreach (var v in values) writer.Write(v); });

    public static void WriteInt64(string path, long[] values, params long[] shape) =>
        Write(path, "<i8", shape, values.Length, writer => { foreach (var v in values) writer.Write(v); });

    private static void Write(string path, string descr, long[] shape, long count, Action<BinaryWriter> writeData)
    {
        if (shape.Aggregate(1L, (a, d) => a * d) != count) throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} values");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = 6 + 2 + 2 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - unpadded % 64) % 64) + "\n";

        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
            writer.Write((byte)0x93);
            writer.Write(Encoding.ASCII.GetBytes("NUMPY"));
            writer.Write((byte)1);
            writer.Write((byte)0);
            writer.Write((ushort)header.Length);
            writer.Write(Encoding.ASCII.GetBytes(header));
            writeData(writer);
        });
    }
}
