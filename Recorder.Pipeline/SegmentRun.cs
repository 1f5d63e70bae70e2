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
    private readonly Lock _indexGate = new();

    private const int AgeChunkBytes = 64 * 1024;
    private readonly TimeSpan? _sealChunkAfter;
    private long _chunkOpenedAt;

    /// <summary>Writes to the segment writer come from the pump and from the sealing timer, one at a time.</summary>
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _pumped = new();
    private bool _closed;

    private SegmentRun(int number, FfmpegEncoder encoder, ISegmentWriter writer, MatroskaFeedWriter feed, TimeSpan? sealChunkAfter)
    {
        _sealChunkAfter = sealChunkAfter;
        _sealing = sealChunkAfter is { } after ? SealLoopAsync(after) : Task.CompletedTask;
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
        return new SegmentRun(number, encoder, writer, feed, options.SealChunkAfter);
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
                await _writeGate.WaitAsync().ConfigureAwait(false);
                try
                {
                    lock (_indexGate) _indexer.Observe(buffer.AsSpan(0, n));
                    await _writer.WriteAsync(buffer.AsMemory(0, n), CancellationToken.None).ConfigureAwait(false);
                    Written(n);
                }
                finally
                {
                    _writeGate.Release();
                }
            }
        }
        catch
        {
            Encoder.Kill();
            throw;
        }
        finally
        {
            await _writeGate.WaitAsync().ConfigureAwait(false);
            _closed = true; // nothing is written after the pump: the writer is completed next
            _writeGate.Release();
            await _pumped.CancelAsync().ConfigureAwait(false);
            await _sealing.ConfigureAwait(false);
        }
    }

    private readonly Task _sealing;

    /// <summary>Counts what was written and notes when the open age chunk began.</summary>
    private void Written(int n)
    {
        var chunkBefore = PlaintextBytes / AgeChunkBytes;
        PlaintextBytes += n;
        if (PlaintextBytes % AgeChunkBytes == 0) _chunkOpenedAt = 0;
        else if (_chunkOpenedAt == 0 || PlaintextBytes / AgeChunkBytes != chunkBefore) _chunkOpenedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// The encoder writes a fragment at once, every 2 s, and the encryptor seals a 64 KiB chunk only once a byte beyond it
    /// has arrived, so the end of each fragment would wait, unsealed and so not stored, for the next one (at a low bit rate
    /// for several). Every 250 ms: when the open chunk has waited longer than <see cref="RecordingOptions.SealChunkAfter"/>
    /// and the output stands right after a whole fragment, a <c>free</c> box (players skip it) fills the chunk and reaches
    /// 8 bytes into the next, so the chunk is sealed and stored now — and a cut at a chunk boundary never falls inside the
    /// next fragment's <c>moof</c>, which would make the whole prefix unreadable.
    /// </summary>
    private async Task SealLoopAsync(TimeSpan after)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_pumped.Token).ConfigureAwait(false))
            {
                await _writeGate.WaitAsync(_pumped.Token).ConfigureAwait(false);
                try
                {
                    if (_closed) return;
                    await SealOpenChunkAsync(after).ConfigureAwait(false);
                }
                finally
                {
                    _writeGate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_pumped.IsCancellationRequested)
        {
            // The encoder's output ended.
        }
        catch (Exception) when (_closed || _pumped.IsCancellationRequested)
        {
            // The writer failed or closed meanwhile: the pump reports that.
        }
    }

    private async Task SealOpenChunkAsync(TimeSpan after)
    {
        var open = (int)(PlaintextBytes % AgeChunkBytes);
        if (open == 0 || _chunkOpenedAt == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(_chunkOpenedAt) < after) return;
        byte[] padding;
        lock (_indexGate)
        {
            if (!_indexer.AtFragmentBoundary) return;
            var size = AgeChunkBytes - open + 8;
            padding = new byte[size];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(padding, (uint)size);
            "free"u8.CopyTo(padding.AsSpan(4));
            _indexer.Observe(padding);
        }
        await _writer.WriteAsync(padding, CancellationToken.None).ConfigureAwait(false);
        PlaintextBytes += padding.Length;
        PaddingBytes += padding.Length;
        _chunkOpenedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>Plaintext bytes of <c>free</c> boxes written to seal chunks early (part of <see cref="PlaintextBytes"/>).</summary>
    public long PaddingBytes { get; private set; }

    /// <summary>
    /// What a take-over needs if this worker dies now (a manifest checkpoint): where the segment is, when it
    /// started, and its fragment index so far. Null before the encoder produced anything.
    /// </summary>
    public ManifestOpenSegment? Snapshot(double mediaOffsetSeconds)
    {
        double[][] fragments;
        long? init;
        lock (_indexGate)
        {
            if (_indexer.Position == 0) return null;
            fragments = _indexer.Entries.Select(e => new[] { Math.Round(e.TimeSeconds, 3), e.Offset }).ToArray();
            init = _indexer.InitSegmentLength;
        }
        return new ManifestOpenSegment
        {
            Number = Number,
            Location = _writer.Location,
            StartedAt = StartedAt,
            MediaStartSeconds = mediaOffsetSeconds + (MediaStart ?? TimeSpan.Zero).TotalSeconds,
            PlaintextBytes = PlaintextBytes,
            CheckpointAt = DateTimeOffset.UtcNow,
            InitSegmentBytes = init,
            Fragments = fragments,
        };
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
