using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Recorder.Pipeline;

/// <summary>SIGTERM to a child process (.NET's Process can only SIGKILL): how a recording, or the service, is asked to stop cleanly.</summary>
[SupportedOSPlatform("linux")]
public static class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>False when the signal could not be sent (errno in <see cref="Marshal.GetLastPInvokeError"/>).</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
