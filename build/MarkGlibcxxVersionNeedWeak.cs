using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Marks one version need (e.g. GLIBCXX_3.4.32) of an ELF64 little-endian shared library as weak,
// but only when the system's libstdc++ does not provide that version. The file is rewritten
// through a temporary copy and a rename, so a hard link into a package cache is never modified.
public class MarkGlibcxxVersionNeedWeak : Task
{
    [Required] public ITaskItem[] LibraryPaths { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    private static readonly string[] SystemLibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        var systemLibrary = Array.Find(SystemLibstdcxxCandidates, File.Exists);
        if (systemLibrary != null && Contains(File.ReadAllBytes(systemLibrary), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{systemLibrary} provides {VersionName}; TorchSharp's native library needs no patch.");
            return true;
        }

        foreach (var item in LibraryPaths)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                switch (MarkWeak(bytes, VersionName))
                {
                    case PatchOutcome.Patched:
                        var temporary = path + ".patching";
                        File.WriteAllBytes(temporary, bytes);
                        File.Replace(temporary, path, null);
                        Log.LogMessage(MessageImportance.Normal, $"Marked {VersionName} as a weak version need in {path}.");
                        break;
                    case PatchOutcome.AlreadyWeak:
                        Log.LogMessage(MessageImportance.Low, $"{path}: {VersionName} is already weak.");
                        break;
                    case PatchOutcome.NotNeeded:
                        Log.LogMessage(MessageImportance.Low, $"{path} does not need {VersionName}.");
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"Could not patch {path}: {ex.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private enum PatchOutcome { Patched, AlreadyWeak, NotNeeded }

    private static PatchOutcome MarkWeak(byte[] elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong sectionHeaderOffset = BitConverter.ToUInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);

        for (int i = 0; i < sectionCount; i++)
        {
            int header = checked((int)sectionHeaderOffset + i * sectionHeaderSize);
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed) continue;

            int offset = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            int linkedStringSection = (int)BitConverter.ToUInt32(elf, header + 0x28);
            int stringHeader = checked((int)sectionHeaderOffset + linkedStringSection * sectionHeaderSize);
            int strings = checked((int)BitConverter.ToUInt64(elf, stringHeader + 0x18));

            int need = offset;
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, strings + nameOffset) == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0) return PatchOutcome.AlreadyWeak;
                        flags |= VerFlagWeak;
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        return PatchOutcome.Patched;
                    }
                    uint nextAux = BitConverter.ToUInt32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += (int)nextAux;
                }
                uint nextNeed = BitConverter.ToUInt32(elf, need + 12);
                if (nextNeed == 0) break;
                need += (int)nextNeed;
            }
        }
        return PatchOutcome.NotNeeded;
    }

    private static string ReadCString(byte[] bytes, int start)
    {
        int end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
