using AspireSimClr.Engine;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class CudaDiagnosisTests
{
    private static readonly string Here = AppContext.BaseDirectory;

    [Fact]
    public void AskingForCudaOnACpuLibtorchSaysWhy()
    {
        var error = Assert.Throws<InvalidConfigException>(() => DeviceSelector.Resolve("cuda"));
        var message = Assert.Single(error.Errors).Message;
        Assert.Contains("TorchSharp's loader: Torch device type CUDA did not initialise", message);
        Assert.Contains("which has no libtorch_cuda.so (a CPU-only libtorch)", message);
        Assert.Contains(Path.GetFullPath(Here).TrimEnd('/'), message);       // where libtorch was loaded from
    }

    [Fact]
    public void TheNeededLibrariesAndTheRunpathComeFromTheElfFile()
    {
        var dependencies = SharedLibraryDependencies.Read(Path.Combine(Here, "libLibTorchSharp.so"));
        Assert.Equal(["libtorch.so", "libc10.so", "libtorch_cpu.so"], dependencies.Needed.Take(3));
        Assert.Contains(Path.GetFullPath(Here).TrimEnd('/') + "/", dependencies.SearchPath);   // $ORIGIN/ expanded
    }

    [Fact]
    public void DependenciesTheLoaderCannotFindAreNamedAndOriginFindsNeighbours()
    {
        using var folder = new TempDirectory();
        var copy = Path.Combine(folder.Path, "libLibTorchSharp.so");
        File.Copy(Path.Combine(Here, "libLibTorchSharp.so"), copy);
        // The C and C++ runtimes as the ld.so cache would list them; no system folders, whatever this machine has installed.
        var cache = new HashSet<string> { "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6", "ld-linux-x86-64.so.2" };
        IReadOnlyList<string> Missing(Func<string, bool> loaded) => SharedLibraryDependencies.Unresolved(copy, loaded, cache, defaultFolders: []);

        Assert.Equal(["libtorch.so", "libc10.so", "libtorch_cpu.so"], Missing(_ => false));
        File.CreateSymbolicLink(Path.Combine(folder.Path, "libc10.so"), Path.Combine(Here, "libc10.so"));
        Assert.Equal(["libtorch.so", "libtorch_cpu.so"], Missing(_ => false));                 // $ORIGIN finds its neighbour
        Assert.Equal(["libtorch.so"], Missing(name => name == "libtorch_cpu.so"));              // already in the process
    }

    [Fact]
    public void AFileThatIsNotElfIsRefusedWithItsName()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "libfake.so");
        File.WriteAllText(path, "not a library");
        var error = Assert.Throws<InvalidDataException>(() => SharedLibraryDependencies.Read(path));
        Assert.Contains(path, error.Message);
    }
}
