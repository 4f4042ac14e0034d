using System.Runtime.InteropServices;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// cuDNN benchmark mode (PyTorch's <c>torch.backends.cudnn.benchmark</c>): cuDNN times its convolution
/// algorithms for each new input shape and keeps the fastest. TorchSharp 0.107 has no binding for it,
/// so this calls libtorch's <c>at::globalContext().setBenchmarkCuDNN(bool)</c> directly; the flag lives
/// in libtorch_cpu, so it can be set and read back on any build.
/// </summary>
public static class CudnnBenchmark
{
    private const string Libtorch = "libtorch_cpu.so";

    /// <returns>Whether the flag could be set (false when the loaded libtorch lacks the entry points).</returns>
    public static bool TrySet(bool enabled)
    {
        try
        {
            SetBenchmarkCuDNN(GlobalContext(), enabled);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    public static bool? Read()
    {
        try
        {
            return BenchmarkCuDNN(GlobalContext());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport(Libtorch, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    // Member functions take `this` as their first argument in the Itanium C++ ABI.
    [DllImport(Libtorch, EntryPoint = "_ZN2at7Context17setBenchmarkCuDNNEb")]
    private static extern void SetBenchmarkCuDNN(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Libtorch, EntryPoint = "_ZNK2at7Context14benchmarkCuDNNEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool BenchmarkCuDNN(IntPtr context);
}
