using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Recorder.Pipeline;

/// <summary>
/// Keeps plaintext from reaching the disk through the runtime or a crash.
/// The .NET runtime's diagnostics (an IPC socket and debugger FIFOs under
/// /tmp) are off only when <c>DOTNET_EnableDiagnostics=0</c> is in the
/// environment before the runtime starts — no code of the program can undo
/// them afterwards — so the <c>recorder</c> launcher sets it, and verbs that
/// handle meeting media refuse to run without it. Core dumps are disabled
/// with RLIMIT_CORE 0 (the launcher does it too); ffmpeg inherits both.
/// </summary>
[SupportedOSPlatform("linux")]
public static class ProcessHardening
{
    public const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";
    private const int RlimitCore = 4;

    public static bool DiagnosticsDisabled => Environment.GetEnvironmentVariable(DiagnosticsVariable) == "0";

    /// <summary>Sets the core-dump size limit (soft and hard) to zero for this process and its children.</summary>
    public static void DisableCoreDumps()
    {
        var limit = new RLimit { Current = 0, Maximum = 0 };
        if (SetRLimit(RlimitCore, ref limit) != 0)
            throw new InvalidOperationException($"setrlimit(RLIMIT_CORE, 0) failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>The current core-dump limit (soft), for tests and diagnostics.</summary>
    public static ulong CoreDumpLimit()
    {
        var limit = default(RLimit);
        return GetRLimit(RlimitCore, ref limit) == 0 ? limit.Current : ulong.MaxValue;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, ref RLimit limit);
}
