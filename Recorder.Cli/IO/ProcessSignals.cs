using System.Runtime.InteropServices;

namespace Recorder.Cli.IO;

/// <summary>SIGTERM to a child the CLI started (.NET's Process can only SIGKILL).</summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
