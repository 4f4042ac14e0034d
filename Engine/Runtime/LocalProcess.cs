using System.Diagnostics;

namespace AspireSimClr.Engine.Runtime;

/// <summary>Whether a process id written into a temporary file's name still belongs to a running process on this machine.</summary>
public static class LocalProcess
{
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
