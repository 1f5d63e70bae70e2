using Recorder.Pipeline.Encoder;
using Recorder.Storage;

namespace Recorder.Pipeline;

/// <summary>
/// One segment in flight: its encoder, the writer that encrypts and uploads
/// what the encoder produces, and the fragment index of that output.
/// </summary>
internal sealed class SegmentRun
{
    private const int ReadBufferBytes = 64 * 1024;
    private readonly ISegmentWriter _writer;
    private readonly Mp4FragmentIndexer _indexer = new();

    private SegmentRun(int number, FfmpegEncoder encoder, ISegmentWriter writer, MatroskaFeedWriter feed)
    {
        Number = number;
        Encoder = encoder;
        _writer = writer;
        Feed = feed;
        StartedAt = DateTimeOffset.UtcNow;
        Pump = PumpAsync();
    }

    public int Number { get; }
    public FfmpegEncoder Encoder { get; }
    public MatroskaFeedWriter Feed { get; }
    public DateTimeOffset StartedAt { get; }
    public TimeSpan? MediaStart { get; set; }
    public TimeSpan MediaEnd { get; set; }
    public bool HeaderWritten { get; set; }

    /// <summary>Set when the encoder exited with an error or stalled (known after <see cref="FinishAsync"/>).</summary>
    public FfmpegException? EncoderError { get; private set; }

    /// <summary>Plaintext bytes the encoder produced so far.</summary>
    public long PlaintextBytes { get; private set; }

    /// <summary>The segment's upload counters now (for progress reports).</summary>
    public UploadProgress? Upload => _writer.Upload;

    /// <summary>Copies the encoder's output into the writer; on a failure of the writer it kills the encoder, so the feeder notices.</summary>
    public Task Pump { get; }

    public static async Task<SegmentRun> StartAsync(int number, RecordingOptions options, IRecordingOutput output, CancellationToken cancellationToken)
    {
        var writer = await output.StartSegmentAsync(number, cancellationToken).ConfigureAwait(false);
        FfmpegEncoder encoder;
        try
        {
            encoder = FfmpegEncoder.Start(options.Encoder);
        }
        catch
        {
            await writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var feed = new MatroskaFeedWriter(options.Encoder.Width, options.Encoder.Height, Media.AudioMixer.SampleRate, 1);
        return new SegmentRun(number, encoder, writer, feed);
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        var buffer = new byte[ReadBufferBytes];
        try
        {
            int n;
            while ((n = await Encoder.Output.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                _indexer.Observe(buffer.AsSpan(0, n));
                await _writer.WriteAsync(buffer.AsMemory(0, n), CancellationToken.None).ConfigureAwait(false);
                PlaintextBytes += n;
            }
        }
        catch
        {
            Encoder.Kill();
            throw;
        }
    }

    /// <summary>
    /// Ends the segment: closes the encoder's input so it flushes, waits for its
    /// output and exit, then seals and completes the object. An encoder that
    /// failed still leaves a complete, authenticated segment of what it wrote;
    /// one that wrote nothing leaves no object at all (null).
    /// </summary>
    public async Task<ManifestSegment?> FinishAsync(string endReason, TimeSpan frameDuration, IReadOnlyList<string> recipients,
        CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await Encoder.Input.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The encoder is already gone; its exit code says why.
            }
            await Pump.ConfigureAwait(false);
            try
            {
                await Encoder.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (FfmpegException ex)
            {
                EncoderError = ex;
                endReason = $"{endReason}; {ex.Message}";
            }
            if (PlaintextBytes == 0)
            {
                await _writer.AbortAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            var written = await _writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var start = MediaStart ?? TimeSpan.Zero;
            return new ManifestSegment
            {
                Number = Number,
                Location = written.Location,
                Bytes = written.CiphertextBytes,
                Sha256 = written.CiphertextSha256,
                PlaintextBytes = written.PlaintextBytes,
                MediaStartSeconds = start.TotalSeconds,
                DurationSeconds = MediaStart is null ? 0 : (MediaEnd - start + frameDuration).TotalSeconds,
                StartedAt = StartedAt,
                EndedAt = DateTimeOffset.UtcNow,
                EndReason = endReason,
                Recipients = recipients,
                InitSegmentBytes = _indexer.InitSegmentLength,
                Fragments = _indexer.Entries.Select(e => new[] { Math.Round(e.TimeSeconds, 3), e.Offset }).ToArray(),
            };
        }
        catch
        {
            await AbortAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            await Encoder.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills the encoder and abandons the object (nothing incomplete stays visible).</summary>
    public async Task AbortAsync()
    {
        Encoder.Kill();
        try
        {
            await _writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: an upload left behind is found and aborted by recovery.
        }
    }
}
