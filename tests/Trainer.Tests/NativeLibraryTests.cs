using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests;

public class NativeLibraryTests
{
    [Fact]
    public void LibTorchLoadsAndMultipliesMatrices()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var product = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void OutputCopyOfTheNativeLibraryIsPatchedOnlyWhereNeeded()
    {
        var copy = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(copy), $"{copy} should be in the test output");
        var systemLibrary = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        Assert.NotNull(systemLibrary);
        bool systemHasVersion = File.ReadAllText(systemLibrary!, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0");

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var nugetOriginal = Directory.GetFiles(Path.Combine(packages, "torchsharp"),
            "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
        Assert.NotNull(nugetOriginal);
        bool identical = File.ReadAllBytes(copy).AsSpan().SequenceEqual(File.ReadAllBytes(nugetOriginal!));
        Assert.Equal(systemHasVersion, identical);
    }
}
