using Recorder.Service.Encoder;
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
}
