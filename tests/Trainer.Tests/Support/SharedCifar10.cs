using System.Diagnostics;

namespace AspireSimClr.Trainer.Tests.Support;

/// <summary>
/// The full CIFAR-10 in image-folder layout from ../shared/data, extracted once into the repository's
/// git-ignored .data folder (never committed) and reused by later test runs.
/// </summary>
public static class SharedCifar10
{
    private static readonly Lazy<string> Folder = new(Extract);

    public static string Root => Folder.Value;

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AspireSimClr.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AspireSimClr.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Extract()
    {
        var repo = RepositoryRoot();
        var target = Path.Combine(repo, ".data", "datasets", "cifar10");
        if (Directory.Exists(Path.Combine(target, "test", "truck"))) return target;
        var archive = Path.GetFullPath(Path.Combine(repo, "..", "shared", "data", "cifar10-jpeg.tar.xz"));
        if (!File.Exists(archive)) throw new FileNotFoundException($"The shared CIFAR-10 archive is missing at {archive}.", archive);

        var staging = target + ".partial-" + Environment.ProcessId;
        Directory.CreateDirectory(staging);
        using var tar = Process.Start(new ProcessStartInfo("tar", ["-xJf", archive, "-C", staging]) { RedirectStandardError = true })!;
        var error = tar.StandardError.ReadToEnd();
        tar.WaitForExit();
        if (tar.ExitCode != 0) throw new InvalidOperationException($"tar failed to extract {archive}: {error}");
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.Move(staging, target);
        return target;
    }
}
