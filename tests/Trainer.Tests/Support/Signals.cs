using System.Runtime.InteropServices;

namespace AspireSimClr.Trainer.Tests.Support;

/// <summary>Sends a POSIX signal to a process, as an orchestrator, systemd or a terminal does.</summary>
public static class Signals
{
    public const int Terminate = 15;   // SIGTERM

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
