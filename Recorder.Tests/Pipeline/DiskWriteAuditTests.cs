using Recorder.Pipeline;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Pipeline;

/// <summary>The strace audit catches what it must, and lets pipes and /dev through — otherwise the no-disk test proves nothing.</summary>
[Trait("Category", "Integration")]
public sealed class DiskWriteAuditTests
{
    [Fact]
    public async Task A_file_written_by_a_child_process_is_caught()
    {
        var target = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}");
        try
        {
            var result = await DiskWriteAudit.RunAsync("sh", ["-c", $"echo secret > {target}; true"], TimeSpan.FromSeconds(30));
            Assert.Contains(result.Violations, v => v.Contains(target, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task Ffmpeg_to_a_pipe_and_dev_null_is_clean()
    {
        var result = await DiskWriteAudit.RunAsync("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x36:rate=5", "-t", "1", "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov", "pipe:1"],
            TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.SyscallsSeen > 10, "strace saw almost nothing: the audit is not tracing");
        Assert.Empty(result.Violations);
    }

    [Theory]
    [InlineData("1234  bind(3, {sa_family=AF_UNIX, sun_path=\"/tmp/dotnet-diagnostic-1-2-socket\"}, 110) = 0", true)]
    [InlineData("1234  bind(3, {sa_family=AF_UNIX, sun_path=@\"abstract\"}, 12) = 0", false)]
    [InlineData("1234  mknodat(AT_FDCWD, \"/tmp/clr-debug-pipe-1-in\", S_IFIFO|0600) = 0", true)]
    [InlineData("1234  openat(AT_FDCWD, \"/etc/ssl/openssl.cnf\", O_RDONLY) = 3", false)]
    [InlineData("1234  openat(AT_FDCWD, \"/dev/null\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3", false)]
    [InlineData("1234  openat(AT_FDCWD, \"/root/out.mp4\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3", true)]
    [InlineData("1234  openat(AT_FDCWD, \"/root/out.mp4\", O_WRONLY|O_CREAT, 0666) = -1 EACCES (Permission denied)", false)]
    [InlineData("1234  mkdir(\"/tmp/.dotnet\", 0777) = 0", true)]
    public void Classifies_strace_lines(string line, bool violation) => Assert.Equal(violation, DiskWriteAudit.IsViolation(line));

    [Fact]
    public void Core_dumps_can_be_disabled_for_the_process_and_its_children()
    {
        // A test host is the closest process at hand; the limit only goes down, which is harmless for it.
        ProcessHardening.DisableCoreDumps();
        Assert.Equal(0UL, ProcessHardening.CoreDumpLimit());
    }
}
