using Recorder.Pipeline.Encoder;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Pipeline;

/// <summary>The benchmark's bare-ffmpeg peer must encode exactly as the recorder does, or the CPU ratio means nothing.</summary>
public sealed class BenchScriptTests
{
    [Fact]
    public void Bare_ffmpeg_peer_uses_the_recorders_encoder_settings()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "bench", "pipeline.sh"));
        var settings = string.Join(' ', new FfmpegEncoderOptions().OutputArguments());
        Assert.Contains(settings, script);
        Assert.Contains("-r 30", script);
    }

    [Fact]
    public void Ffmpeg_runs_with_glibcs_default_arenas_while_the_launcher_caps_the_recorders()
    {
        var launcher = File.ReadAllText(RepositoryPaths.RecorderLauncher);
        Assert.Contains("MALLOC_ARENA_MAX=2", launcher);
        // 1 MiB as bare hex: the natively compiled program ignores a value with a 0x prefix.
        Assert.Contains("\nDOTNET_GCgen0size=100000\n", launcher);
        Assert.Contains("export DOTNET_EnableDiagnostics DOTNET_DbgEnableMiniDump DOTNET_GCgen0size MALLOC_ARENA_MAX", launcher);

        var before = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX");
        Environment.SetEnvironmentVariable("MALLOC_ARENA_MAX", "2");
        try
        {
            var info = FfmpegProcess.StartInfo("ffmpeg", ["-version"]);
            Assert.False(info.Environment.ContainsKey("MALLOC_ARENA_MAX"));
            Assert.Equal("1", info.Environment["AV_LOG_FORCE_NOCOLOR"]);
            Assert.Equal(["-version"], info.ArgumentList);
            Assert.True(info.RedirectStandardInput && info.RedirectStandardOutput && info.RedirectStandardError);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MALLOC_ARENA_MAX", before);
        }
    }
}
