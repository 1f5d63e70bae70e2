using System.Collections;
using System.Runtime.InteropServices;

namespace Recorder.Cli.IO;

/// <summary>
/// Replaces this process with another program (<c>execve(2)</c>): same PID, same
/// standard streams, same environment. <c>recorder serve</c> hands over to the
/// service this way rather than starting it as a child, so a supervisor's signals
/// (systemd's SIGTERM) reach the service itself and its exit status is the unit's.
/// </summary>
internal static class ProcessReplacement
{
    /// <summary>Does not return on success; on failure returns the reason (errno's meaning) and this process goes on.</summary>
    public static string Exec(string program, IReadOnlyList<string> arguments)
    {
        var argv = new IntPtr[arguments.Count + 2];
        var variables = Environment.GetEnvironmentVariables();
        var envp = new IntPtr[variables.Count + 1];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8(program);
            for (var i = 0; i < arguments.Count; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            var n = 0;
            foreach (DictionaryEntry variable in variables)
                envp[n++] = Marshal.StringToCoTaskMemUTF8($"{variable.Key}={variable.Value}");

            Execve(program, argv, envp);
            return Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        }
        finally
        {
            foreach (var p in argv) Marshal.FreeCoTaskMem(p);
            foreach (var p in envp) Marshal.FreeCoTaskMem(p);
        }
    }

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr[] argv, IntPtr[] envp);
}
