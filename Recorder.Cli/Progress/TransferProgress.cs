using System.Diagnostics;
using System.Globalization;

namespace Recorder.Cli.Progress;

/// <summary>
/// Progress of a verb that moves bytes (encrypt, grant, decrypt): bytes so far, the
/// total when known, the mean rate and the time left, on stderr only (see
/// <see cref="ProgressDisplay"/> for the terminal, plain and <c>--quiet</c> forms).
/// <code>
/// await using var progress = TransferProgress.Start(context, "decrypt", input.CanSeek ? input.Length : null);
/// await AgeDecryptor.DecryptAsync(progress.Reading(input), target.Stream, ids, options, ct);
/// progress.Complete();
/// </code>
/// Counting is one interlocked add per read or write; the display polls it.
/// </summary>
public sealed class TransferProgress : IAsyncDisposable
{
    /// <summary>Between plain lines when stderr is not a terminal.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long? _total;
    private readonly ProgressDisplay _display;
    private long _bytes;
    private bool _completed;

    private TransferProgress(CliOutput output, string label, long? totalBytes, TimeSpan plainInterval)
    {
        _total = totalBytes is > 0 ? totalBytes : null;
        _display = ProgressDisplay.Start(output, label, Snapshot, determinate: _total is not null, plainInterval);
    }

    /// <param name="label">The verb, as the lines name it: <c>recorder: LABEL: …</c>.</param>
    /// <param name="totalBytes">The bytes this will count when done (null: unknown, as for stdin).</param>
    public static TransferProgress Start(CliContext context, string label, long? totalBytes) => Start(context.Output, label, totalBytes, PlainInterval);

    internal static TransferProgress Start(CliOutput output, string label, long? totalBytes, TimeSpan plainInterval) =>
        new(output, label, totalBytes, plainInterval);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Counts <paramref name="bytes"/> more (thread-safe).</summary>
    public void Advance(long bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <summary>A stream that reads <paramref name="source"/> and counts what it reads; disposing it leaves the source open.</summary>
    public Stream Reading(Stream source) => new CountingStream(source, this);

    /// <summary>A stream that writes to <paramref name="destination"/> and counts what it writes; disposing it leaves the destination open.</summary>
    public Stream Writing(Stream destination) => new CountingStream(destination, this);

    /// <summary>The transfer succeeded: the display ends at 100 % with the totals. Without it, disposing just stops the display.</summary>
    public void Complete() => _completed = true;

    public async ValueTask DisposeAsync()
    {
        var elapsed = _clock.Elapsed;
        await _display.StopAsync(_completed
            ? string.Create(CultureInfo.InvariantCulture, $"{ByteText.Format(Bytes)} in {elapsed.TotalSeconds:0.0} s ({ByteText.Rate(Bytes, elapsed)})")
            : null);
    }

    private ProgressSnapshot Snapshot()
    {
        var (bytes, elapsed) = (Bytes, _clock.Elapsed);
        if (_completed && _total is { } t) bytes = Math.Max(bytes, t);
        var rate = ByteText.Rate(bytes, elapsed);
        if (_total is not { } total) return new($"{ByteText.Format(bytes)}, {rate}", null);
        var fraction = Math.Min(1.0, (double)bytes / total);
        var text = $"{ByteText.Format(bytes)} of {ByteText.Format(total)}, {rate}";
        if (bytes > 0 && fraction < 1.0)
            text += $", {ByteText.Duration(TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - bytes) / bytes))} left";
        return new(text, fraction);
    }
}
