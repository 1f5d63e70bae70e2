using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Recorder.Pipeline.Encoder;

/// <summary>
/// Writes raw video (I420) and audio (16-bit PCM) as a live Matroska stream:
/// the form in which the recorder hands media to ffmpeg on stdin. Every block
/// carries its own timestamp, so a video frame dropped at the live edge is a
/// gap ffmpeg fills (constant frame rate output), not a shift of the video
/// against the audio — which raw video on a pipe would be. One input on stdin
/// also means no second pipe or socket.
///
/// Layout: EBML header, a Segment of unknown size, Info (1 ms timestamps),
/// Tracks (1: V_UNCOMPRESSED/I420, 2: A_PCM/INT/LIT), then one Cluster with
/// one SimpleBlock per frame. The payload is written straight from the
/// caller's buffer; only the 35-byte block preamble is produced here.
/// </summary>
public sealed class MatroskaFeedWriter
{
    public const int VideoTrack = 1;
    public const int AudioTrack = 2;
    private const int PreambleLength = 35;
    private readonly byte[] _preamble = new byte[PreambleLength];

    public MatroskaFeedWriter(int width, int height, int sampleRate, int channels)
    {
        Width = width;
        Height = height;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public int Width { get; }
    public int Height { get; }
    public int SampleRate { get; }
    public int Channels { get; }

    /// <summary>The stream header: EBML, the open-ended Segment, Info and Tracks.</summary>
    public byte[] BuildHeader()
    {
        var ebml = Element(0x1A45DFA3,
            UInt(0x4286, 1), UInt(0x42F7, 1), UInt(0x42F2, 4), UInt(0x42F3, 8),
            Text(0x4282, "matroska"), UInt(0x4287, 4), UInt(0x4285, 2));
        byte[] segmentStart = [0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        var info = Element(0x1549A966, UInt(0x2AD7B1, 1_000_000), Text(0x4D80, "Recorder"), Text(0x5741, "Recorder"));
        var video = Element(0xAE,
            UInt(0xD7, VideoTrack), UInt(0x73C5, VideoTrack), UInt(0x83, 1), UInt(0x9C, 0), Text(0x86, "V_UNCOMPRESSED"),
            Element(0xE0, UInt(0xB0, (ulong)Width), UInt(0xBA, (ulong)Height), Binary(0x2EB524, "I420"u8.ToArray())));
        var audio = Element(0xAE,
            UInt(0xD7, AudioTrack), UInt(0x73C5, AudioTrack), UInt(0x83, 2), UInt(0x9C, 0), Text(0x86, "A_PCM/INT/LIT"),
            Element(0xE1, Float(0xB5, SampleRate), UInt(0x9F, (ulong)Channels), UInt(0x6264, 16)));
        var tracks = Element(0x1654AE6B, video, audio);
        return [.. ebml, .. segmentStart, .. info, .. tracks];
    }

    /// <summary>Writes one frame as a Cluster holding one SimpleBlock (pooled state machine: no garbage per frame).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteBlockAsync(Stream output, int track, TimeSpan timestamp, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var p = _preamble.AsSpan();
        // Cluster: ID, 8-byte size = Timecode element (10) + SimpleBlock element (13 + payload).
        BinaryPrimitives.WriteUInt32BigEndian(p, 0x1F43B675);
        WriteSize8(p[4..], 10 + 13 + (ulong)payload.Length);
        // Timecode (ms), as an 8-byte unsigned integer.
        p[12] = 0xE7;
        p[13] = 0x88;
        BinaryPrimitives.WriteUInt64BigEndian(p[14..], (ulong)(timestamp.Ticks / TimeSpan.TicksPerMillisecond));
        // SimpleBlock: track (1-byte vint), relative time 0, keyframe flag.
        p[22] = 0xA3;
        WriteSize8(p[23..], 4 + (ulong)payload.Length);
        p[31] = (byte)(0x80 | track);
        p[32] = 0;
        p[33] = 0;
        p[34] = 0x80;
        await output.WriteAsync(_preamble, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteSize8(Span<byte> target, ulong size)
    {
        BinaryPrimitives.WriteUInt64BigEndian(target, size);
        target[0] = 0x01; // 8-byte vint marker; sizes stay far below 2^56
    }

    private static byte[] Element(uint id, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        return [.. Id(id), .. Size(body.Length), .. body];
    }

    private static byte[] UInt(uint id, ulong value)
    {
        var length = 1;
        while (length < 8 && value >> (8 * length) != 0) length++;
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[length - 1 - i] = unchecked((byte)(value >> (8 * i)));
        return [.. Id(id), .. Size(length), .. bytes];
    }

    private static byte[] Float(uint id, double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return [.. Id(id), .. Size(8), .. bytes];
    }

    private static byte[] Text(uint id, string value) => Binary(id, Encoding.ASCII.GetBytes(value));

    private static byte[] Binary(uint id, byte[] value) => [.. Id(id), .. Size(value.Length), .. value];

    /// <summary>An element ID as its big-endian bytes (IDs carry their own length marker).</summary>
    private static byte[] Id(uint id)
    {
        var length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[length - 1 - i] = unchecked((byte)(id >> (8 * i)));
        return bytes;
    }

    /// <summary>EBML variable-length size; header elements are small, so at most 2 bytes.</summary>
    private static byte[] Size(int size) => size switch
    {
        < 0x7F => [(byte)(0x80 | size)],
        < 0x3FFF => [(byte)(0x40 | (size >> 8)), unchecked((byte)size)],
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "header element too large"),
    };
}
