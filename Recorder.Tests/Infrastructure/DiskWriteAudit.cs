using System.Text.RegularExpressions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Runs a command under <c>strace -f</c> and lists everything it (and every
/// child) did that could put data on a disk: a file created or opened for
/// writing outside /dev and /proc, a directory, link or rename made, a device
/// node, a Unix socket bound to a filesystem path. Abstract sockets, pipes,
/// memfds and anything under /dev or /proc are fine.
/// </summary>
public static partial class DiskWriteAudit
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, IReadOnlyList<string> Violations, IReadOnlyList<string> Lines)
    {
        public int SyscallsSeen => Lines.Count;

        /// <summary>
        /// Programs started (execve calls not refused), to prove the audit saw the children too. With
        /// other threads running, strace splits a call into "unfinished" and "resumed" lines, so the
        /// result is not always on the call's line.
        /// </summary>
        public IEnumerable<string> Executed => Lines.Where(l => l.Contains(" execve(\"", StringComparison.Ordinal) && !l.Contains("= -1 ", StringComparison.Ordinal));
    }

    internal const string Syscalls =
        "open,openat,openat2,creat,mknod,mknodat,bind,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,truncate,execve";

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var log = Path.Combine(Path.GetTempPath(), $"recorder-strace-{Guid.NewGuid():N}.log");
        try
        {
            var run = await ProcessRunner.RunAsync("strace",
                ["-f", "-qq", "-s", "256", "-e", $"trace={Syscalls}", "-o", log, "--", program, .. arguments], timeout, environment);
            var lines = await File.ReadAllLinesAsync(log);
            return new Result(run.ExitCode, run.StandardOutput, run.StandardError, lines.Where(IsViolation).ToList(), lines);
        }
        finally
        {
            File.Delete(log);
        }
    }

    internal static bool IsViolation(string line)
    {
        var call = Call().Match(line);
        if (!call.Success || !Succeeded().IsMatch(line)) return false;
        var name = call.Groups["name"].Value;
        var path = FirstPath().Match(line) is { Success: true } p ? p.Groups["path"].Value : null;
        return name switch
        {
            "open" or "openat" or "openat2" => IsWriteOpen(line) && !Allowed(path),
            "creat" or "mkdir" or "mkdirat" or "truncate" or "rename" or "renameat" or "renameat2"
                or "link" or "linkat" or "symlink" or "symlinkat" => !Allowed(path),
            "mknod" or "mknodat" => true,
            "bind" => line.Contains("AF_UNIX", StringComparison.Ordinal) && !line.Contains("sun_path=@", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static bool IsWriteOpen(string line) => WriteFlags().IsMatch(line);

    private static bool Allowed(string? path) =>
        path is not null && (path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal));

    [GeneratedRegex(@"^\d+\s+(?<name>\w+)\(")]
    private static partial Regex Call();

    [GeneratedRegex(@"\)\s+=\s+\d+")]
    private static partial Regex Succeeded();

    [GeneratedRegex("\"(?<path>[^\"]*)\"")]
    private static partial Regex FirstPath();

    [GeneratedRegex(@"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND|O_TMPFILE")]
    private static partial Regex WriteFlags();
}
