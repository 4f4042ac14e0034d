using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Flat;

/// <summary>Which flat buffer slice a tensor object was moved into, for as long as that object lives.</summary>
public static class FlatRegistry
{
    private static readonly ConditionalWeakTable<Tensor, FlatSlice> Slices = new();

    internal static void Register(Tensor tensor, FlatSlice slice) => Slices.AddOrUpdate(tensor, slice);

    public static FlatSlice? Locate(Tensor tensor) => Slices.TryGetValue(tensor, out var slice) && !slice.Buffer.IsDisposed ? slice : null;
}
