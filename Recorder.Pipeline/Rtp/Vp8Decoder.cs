using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Media;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// Decodes one participant's VP8 with an ffmpeg child process: IVF on its
/// stdin, raw I420 pictures on its stdout, nothing on disk. Each frame fed
/// comes out as one picture (passthrough timing, one decoder thread), so the
/// pictures take the presentation times of the frames in feeding order. Frames
/// wait in a small bounded queue; when it is full they are refused (the
/// caller then waits for a keyframe), never buffered without limit.
/// </summary>
public sealed class Vp8Decoder : IAsyncDisposable
{
    private const int QueueFrames = 16;
    private readonly Process _process;
    private readonly BoundedLineTail _stderr = new(10);
    private readonly Channel<(byte[] Buffer, int Length, TimeSpan Due)> _input =
        Channel.CreateBounded<(byte[], int, TimeSpan)>(new BoundedChannelOptions(QueueFrames) { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentQueue<TimeSpan> _dues = new();
    private readonly VideoFrameQueue _output;
    private readonly Task _writer;
    private readonly Task _reader;

    private Vp8Decoder(Process process, int width, int height, VideoFrameQueue output)
    {
        _process = process;
        Width = width;
        Height = height;
        _output = output;
        _writer = Task.Run(WriteAsync);
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The size of the pictures it produces (the stream's size, cropped to even numbers).</summary>
    public int Width { get; }
    public int Height { get; }
    public long FramesDecoded { get; private set; }
    public bool HasExited => _process.HasExited;
    public string StderrTail => _stderr.ToString();

    public static Vp8Decoder Start(int width, int height, VideoFrameQueue output, string ffmpegPath = "ffmpeg")
    {
        if (width < 2 || height < 2) throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is not a picture size");
        var (w, h) = (width & ~1, height & ~1);
        string[] args =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
            // Small probe, one decoder thread, low delay: a picture comes out one frame after its frame went in.
            // (-fflags nobuffer would hold back the first 16 frames and garble some.)
            "-probesize", "32", "-analyzeduration", "0", "-flags", "low_delay", "-c:v", "vp8", "-threads", "1",
            "-f", "ivf", "-i", "pipe:0",
            "-map", "0:v:0", "-fps_mode", "passthrough",
            "-vf", $"crop={w}:{h}:0:0", "-pix_fmt", "yuv420p",
            "-f", "rawvideo", "-flush_packets", "1", "pipe:1",
        ];
        var info = FfmpegProcess.StartInfo(ffmpegPath, args);
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new FfmpegException($"could not start '{ffmpegPath}' to decode VP8: {ex.Message}", null, "");
        }
        var decoder = new Vp8Decoder(process, w, h, output);
        process.ErrorDataReceived += (_, e) => decoder._stderr.Add(e.Data);
        process.BeginErrorReadLine();
        decoder.WriteHeader(width, height);
        return decoder;
    }

    /// <summary>Queues a frame for decoding, to be shown at <paramref name="due"/>. False when the queue is full or the decoder is gone.</summary>
    public bool TryDecode(in Vp8Frame frame, TimeSpan due)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(frame.Data.Length + 12);
        BinaryPrimitives.WriteInt32LittleEndian(buffer, frame.Data.Length);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(4), frame.Timestamp);
        frame.Data.Span.CopyTo(buffer.AsSpan(12));
        if (_input.Writer.TryWrite((buffer, frame.Data.Length + 12, due))) return true;
        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    private void WriteHeader(int width, int height)
    {
        // IVF file header (32 bytes): DKIF, version 0, header size, fourcc, size, 90 kHz time base, frame count unknown.
        var header = ArrayPool<byte>.Shared.Rent(32);
        header.AsSpan(0, 32).Clear();
        "DKIF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 32);
        "VP80"u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), checked((ushort)width));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), checked((ushort)height));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 90_000);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        _input.Writer.TryWrite((header, 32, TimeSpan.MinValue));
    }

    private async Task WriteAsync()
    {
        var stdin = _process.StandardInput.BaseStream;
        try
        {
            await foreach (var (buffer, length, due) in _input.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    if (due != TimeSpan.MinValue) _dues.Enqueue(due);
                    await stdin.WriteAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
                    await stdin.FlushAsync().ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (IOException)
        {
            // ffmpeg went away; HasExited and the stderr tail tell why.
        }
        finally
        {
            _input.Writer.TryComplete();
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Already broken.
            }
        }
    }

    private async Task ReadAsync()
    {
        var stdout = _process.StandardOutput.BaseStream;
        while (true)
        {
            var picture = _output.Rent(Width, Height);
            try
            {
                await stdout.ReadExactlyAsync(picture.Buffer).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                _output.Return(picture);
                return;
            }
            catch (IOException)
            {
                _output.Return(picture);
                return;
            }
            FramesDecoded++;
            _output.Publish(picture, _dues.TryDequeue(out var due) ? due : TimeSpan.Zero);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"VP8 decoder {Width}x{Height}, {FramesDecoded} frames");

    public async ValueTask DisposeAsync()
    {
        _input.Writer.TryComplete();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await Task.WhenAll(_writer, _reader).ConfigureAwait(false);
        while (_input.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
