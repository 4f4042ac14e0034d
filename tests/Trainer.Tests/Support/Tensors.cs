using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Support;

public static class Tensors
{
    /// <summary>Same shape and bit-for-bit the same values.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
}
