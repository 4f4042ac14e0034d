namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The folders a run may read data from and write its cache into. A requested folder is resolved
/// first (relative parts, "..", and every symbolic link on the way), so neither "../.." nor a link
/// inside a data root can reach the rest of the machine.
/// </summary>
public sealed class DataRoots(IReadOnlyList<string> roots)
{
    private const int MaxLinkDepth = 32;
    private readonly IReadOnlyList<string> _roots = roots.Select(r => Resolve(r)).Distinct().ToList();

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The folder with links resolved when it lies under a data root; null when it does not (or cannot be resolved).</summary>
    public string? Allow(string folder)
    {
        string resolved;
        try
        {
            resolved = Resolve(folder);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
        return _roots.Any(root => resolved == root || resolved.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal)) ? resolved : null;
    }

    public string Describe() => string.Join(", ", _roots);

    /// <summary>The absolute path with every symbolic link among its parts followed (the parts that exist).</summary>
    public static string Resolve(string path, int depth = 0)
    {
        if (depth > MaxLinkDepth) throw new IOException($"Too many levels of symbolic links in {path}.");
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
                next = Resolve(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            current = next;
        }
        return current;
    }
}
