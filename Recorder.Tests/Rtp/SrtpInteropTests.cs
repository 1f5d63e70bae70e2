using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings.Janus;
using Recorder.Pipeline.Rtp;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Rtp;

/// <summary>
/// The receiving path against an independent SRTP sender: ffmpeg's own SRTP
/// (libavformat, not libsrtp) sends a publisher clip with a key we made;
/// the forwarded-stream path authenticates, decrypts, orders, depacketizes
/// and decodes it, and the tone and colour come out.
/// </summary>
[Collection(RealTimeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SrtpInteropTests
{
    [Fact]
    public async Task Opus_and_vp8_sent_by_ffmpeg_over_srtp_decode_to_the_clips_tone_and_colour()
    {
        await using var clip = await RemotePublisher.PrepareAsync(2); // Carol: 600 Hz, blue
        var clock = new RecordingClock();
        clock.Align(TimeSpan.Zero);
        var ring = new AudioRing();
        var pictures = new VideoFrameQueue();
        var audioTrack = new AudioTrack(ring, TimeSpan.FromMilliseconds(200));
        var videoTrack = new VideoTrack(pictures, TimeSpan.FromMilliseconds(200), "ffmpeg");
        await using var audio = new ForwardedStream("audio", "0", audioTrack, clock, 64, TimeSpan.FromMilliseconds(80));
        await using var video = new ForwardedStream("video", "1", videoTrack, clock, 1024, TimeSpan.FromMilliseconds(80));
        using var audioKey = SrtpMasterKey.Generate();
        using var videoKey = SrtpMasterKey.Generate();
        audio.Rekey(audioKey);
        video.Rekey(videoKey);

        static string Out(int port) => $"srtp://127.0.0.1:{port}?pkt_size=1200";
        var result = await ProcessRunner.RunAsync("ffmpeg",
        [
            "-v", "error", "-re", "-i", clip.ClipPath,
            "-map", "0:a", "-c", "copy", "-payload_type", "111", "-f", "rtp",
            "-srtp_out_suite", "AES_CM_128_HMAC_SHA1_80", "-srtp_out_params", audioKey.ToBase64(), Out(audio.RtpPort),
            "-map", "0:v", "-c", "copy", "-payload_type", "96", "-f", "rtp",
            "-srtp_out_suite", "AES_CM_128_HMAC_SHA1_80", "-srtp_out_params", videoKey.ToBase64(), Out(video.RtpPort),
        ], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.StandardError);
        await Task.Delay(600); // the playout delay and the decoder's last pictures
        for (var i = 0; i < 20; i++)
        {
            audio.Pump();
            video.Pump();
        }

        Assert.Equal(0, audio.PacketsRejected);
        Assert.Equal(0, video.PacketsRejected);
        Assert.InRange(audioTrack.PacketsDecoded, 195, 201); // 4 s of 20 ms packets
        Assert.True(videoTrack.FramesDecoded is >= 55 and <= 60,
            $"{videoTrack.FramesDecoded} pictures decoded from {videoTrack.FramesReassembled} frames ({videoTrack.FramesDiscarded} discarded, {video.PacketsLost} packets lost)");    // 4 s at 15 fps, all clean

        // The ring holds the last 2.7 s of the 4 s clip (ffmpeg's start-up decides when it began), all of it the tone.
        var all = new short[AudioTrack.Position(TimeSpan.FromSeconds(12))];
        Assert.True(ring.Read(0, all));
        var first = Array.FindIndex(all, x => x != 0);
        var last = Array.FindLastIndex(all, x => x != 0);
        Assert.Equal(ring.Capacity, last - first + 1, tolerance: 960);
        var share = MediaAnalysis.SegmentedToneShare(all.AsSpan(first + 4800, last - first - 9600), 600);
        Assert.True(share > 0.9, $"600 Hz share {share:0.000}");

        var picture = pictures.Read(TimeSpan.FromHours(1));
        Assert.NotNull(picture);
        Assert.Equal((320, 240), (picture.Width, picture.Height));
        var (y, u, v) = (picture.Y[10 * 320 + 160], picture.U[5 * 160 + 80], picture.V[5 * 160 + 80]);
        var expected = YuvColor.FromRgb(50, 90, 220);
        Assert.True(Math.Abs(y - expected.Y) < 12 && Math.Abs(u - expected.U) < 12 && Math.Abs(v - expected.V) < 12,
            $"expected Carol's blue {expected}, got Y{y} U{u} V{v}");
        await videoTrack.DisposeAsync();
    }
}
