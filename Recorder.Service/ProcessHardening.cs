using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Recorder.Service;

/// <summary>
/// Keeps plaintext from reaching the disk through the runtime or a crash:
/// the .NET runtime's diagnostics (IPC sockets and FIFOs under /tmp) are off
/// only when <c>DOTNET_EnableDiagnostics=0</c> is in the environment before
/// the runtime starts, so a process without it re-executes itself once, in
/// place (same PID), with it set; core dumps are disabled with RLIMIT_CORE 0.
/// ffmpeg children inherit both.
/// </summary>
[SupportedOSPlatform("linux")]
public static class ProcessHardening
{
    public const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";
    private const int RlimitCore = 4;

    public static bool DiagnosticsDisabled => Environment.GetEnvironmentVariable(DiagnosticsVariable) == "0";

    /// <summary>
    /// Returns when diagnostics are already off; otherwise replaces this process
    /// with itself (execve of /proc/self/exe with the same arguments) and the
    /// variable set, and only returns if that failed (then it throws).
    /// </summary>
    public static void EnsureDiagnosticsDisabled()
    {
        if (DiagnosticsDisabled) return;
        var argv = File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.None);
        if (argv.Length > 0 && argv[^1].Length == 0) argv = argv[..^1];
        var environment = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .Where(e => (string)e.Key != DiagnosticsVariable)
            .Select(e => $"{e.Key}={e.Value}")
            .Append($"{DiagnosticsVariable}=0")
            .Append("DOTNET_DbgEnableMiniDump=0");
        var path = Environment.ProcessPath ?? "/proc/self/exe";
        Execve(path, [.. argv, null], [.. environment, null]);
        throw new InvalidOperationException(
            $"could not re-execute with {DiagnosticsVariable}=0 (errno {Marshal.GetLastPInvokeError()}); set it in the environment");
    }

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

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPUTF8Str)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPUTF8Str)] string?[] envp);
}
