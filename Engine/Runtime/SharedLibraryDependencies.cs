using System.Text;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// What a shared library needs from the dynamic loader (its DT_NEEDED entries, read from the ELF file) and
/// which of those the loader would not find, searching as glibc's ld.so does: DT_RPATH (when there is no
/// DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH (with $ORIGIN expanded), the ld.so cache, then the default
/// folders. A library already loaded into the process under that name counts as found.
/// </summary>
public static class SharedLibraryDependencies
{
    private static readonly string[] DefaultFolders = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    public sealed record Dependencies(IReadOnlyList<string> Needed, IReadOnlyList<string> SearchPath);

    /// <summary>The needed names and the folders searched for them (RPATH/RUNPATH expanded), from the ELF dynamic section.</summary>
    public static Dependencies Read(string library)
    {
        var data = File.ReadAllBytes(library);
        if (data.Length < 64 || data[0] != 0x7F || data[1] != 'E' || data[2] != 'L' || data[3] != 'F' || data[4] != 2 || data[5] != 1)
            throw new InvalidDataException($"{library} is not a 64-bit little-endian ELF file.");
        long sectionsAt = BitConverter.ToInt64(data, 0x28);
        int sectionSize = BitConverter.ToUInt16(data, 0x3A), sectionCount = BitConverter.ToUInt16(data, 0x3C);
        var needed = new List<string>();
        string? rpath = null, runpath = null;
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionsAt + (long)i * sectionSize;
            if (BitConverter.ToUInt32(data, (int)header + 4) != 6) continue;   // SHT_DYNAMIC
            long offset = BitConverter.ToInt64(data, (int)header + 0x18), size = BitConverter.ToInt64(data, (int)header + 0x20);
            int link = (int)BitConverter.ToUInt32(data, (int)header + 0x28);
            long strings = BitConverter.ToInt64(data, (int)(sectionsAt + (long)link * sectionSize) + 0x18);
            for (long entry = offset; entry + 16 <= offset + size; entry += 16)
            {
                long tag = BitConverter.ToInt64(data, (int)entry), value = BitConverter.ToInt64(data, (int)entry + 8);
                if (tag == 0) break;
                if (tag is 1 or 15 or 29)
                {
                    string text = ReadString(data, strings + value);
                    if (tag == 1) needed.Add(text);
                    else if (tag == 15) rpath = text;
                    else runpath = text;
                }
            }
        }
        string origin = Path.GetDirectoryName(Path.GetFullPath(library))!;
        IEnumerable<string> Folders(string? list) => (list ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Replace("$ORIGIN", origin).Replace("${ORIGIN}", origin));
        var search = new List<string>();
        if (runpath is null) search.AddRange(Folders(rpath));
        search.AddRange(Folders(Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")));
        search.AddRange(Folders(runpath));
        return new Dependencies(needed, search);
    }

    /// <summary>The needed libraries the loader would not find.</summary>
    /// <param name="loaded">Whether a library of that name is already in the process.</param>
    /// <param name="cached">The ld.so cache's names (default: <see cref="LoaderCache"/>).</param>
    /// <param name="defaultFolders">The loader's last resort (default: the system library folders).</param>
    public static IReadOnlyList<string> Unresolved(string library, Func<string, bool> loaded, IReadOnlySet<string>? cached = null, IReadOnlyList<string>? defaultFolders = null)
    {
        var dependencies = Read(library);
        cached ??= LoaderCache();
        var folders = dependencies.SearchPath.Concat(defaultFolders ?? DefaultFolders).ToList();
        return dependencies.Needed
            .Where(name => !loaded(name) && !cached.Contains(name) && !folders.Any(folder => File.Exists(Path.Combine(folder, name))))
            .ToList();
    }

    /// <summary>Library names in the ld.so cache (<c>ldconfig -p</c>); empty where ldconfig is missing.</summary>
    public static IReadOnlySet<string> LoaderCache()
    {
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" })
        {
            if (!File.Exists(ldconfig)) continue;
            try
            {
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return output.Split('\n').Select(line => line.Trim().Split(' ')[0]).Where(name => name.Contains(".so")).ToHashSet();
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }
        return new HashSet<string>();
    }

    /// <summary>Libraries mapped into this process, by file name (from /proc/self/maps).</summary>
    public static IReadOnlyDictionary<string, string> Loaded()
    {
        var loaded = new Dictionary<string, string>();
        if (!File.Exists("/proc/self/maps")) return loaded;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..].Trim();
            if (path.Contains(".so")) loaded.TryAdd(Path.GetFileName(path), path);
        }
        return loaded;
    }

    private static string ReadString(byte[] data, long at)
    {
        int end = Array.IndexOf(data, (byte)0, (int)at);
        return Encoding.UTF8.GetString(data, (int)at, end - (int)at);
    }
}
