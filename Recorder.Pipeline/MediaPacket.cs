using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Media;

namespace Recorder.Pipeline;

/// <summary>
/// One timestamped frame on its way to the encoder: a composited picture or a
/// 20 ms block of mixed audio. Packets are pooled and reused; the buffer is
/// owned by whoever holds the packet.
/// </summary>
public sealed class MediaPacket
{
    private MediaPacket(int track, I420Frame? video, byte[]? audio)
    {
        Track = track;
        Video = video;
        Audio = audio;
    }

    public int Track { get; }
    public TimeSpan Timestamp { get; set; }
    public I420Frame? Video { get; }
    public byte[]? Audio { get; }

    public ReadOnlyMemory<byte> Payload => Video is not null ? Video.Buffer : Audio;

    public static MediaPacket ForVideo(int width, int height) => new(MatroskaFeedWriter.VideoTrack, new I420Frame(width, height), null);

    public static MediaPacket ForAudio(int samples) => new(MatroskaFeedWriter.AudioTrack, null, new byte[samples * sizeof(short)]);
}
