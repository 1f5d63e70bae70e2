using System.Globalization;
using Recorder.Cli.IO;
using Recorder.Crypto;
using Recorder.Pipeline.Ranges;
using Recorder.Pipeline.Text;

namespace Recorder.Cli.Ranges;

/// <summary><c>decrypt --from/--to</c>: the arguments' rules, and the run with its one summary line on stderr.</summary>
internal static class TimeRangeArguments
{
    public sealed record Request(TimeSpan From, TimeSpan? To);

    /// <summary>Null when neither --from nor --to is given.</summary>
    public static Request? Parse(string? from, string? to, bool byteRange)
    {
        if (from is null && to is null) return null;
        if (byteRange) throw CliException.Usage("--from/--to cannot be combined with --offset/--length", "give a time range or a byte range, not both");
        var start = from is null ? TimeSpan.Zero : Time(from, "--from");
        var end = to is null ? (TimeSpan?)null : Time(to, "--to");
        if (end is { } e && e <= start)
            throw CliException.Usage($"--from {from ?? "0"} is not before --to {to}", "--from is where the stretch starts, --to where it ends");
        return new Request(start, end);
    }

    private static TimeSpan Time(string text, string option) =>
        RecordingTimeText.TryParse(text, out var value)
            ? value
            : throw CliException.Usage($"{option} {text}: not a time", $"write times as {RecordingTimeText.Examples}");

    public static async Task<int> RunAsync(Request request, string sourceArgument, IReadOnlyList<IIdentity> identities, string? destination,
        CliContext context, CancellationToken ct)
    {
        if (sourceArgument == "-")
            throw CliException.Usage("--from/--to need a recording's manifest or segment as SOURCE, not stdin",
                "give s3://bucket/…/manifest.json or a segment next to its manifest");
        var source = await RecordingSource.ResolveAsync(sourceArgument, context, ct);
        RecordingRangePlan plan;
        try
        {
            plan = RecordingRangePlan.Create(source.Manifest, request.From, request.To, source.OnlySegment);
        }
        catch (RecordingRangeException e)
        {
            throw new CliException(e.Message, e.Hint);
        }
        await using var target = await OutputTarget.OpenAsync(destination, context, privateFile: true, ct);
        TimeRangeDecryptor.Result result;
        try
        {
            result = await TimeRangeDecryptor.RunAsync(source, plan, identities, target.Stream, context, ct);
        }
        catch (RecordingRangeException e)
        {
            throw new CliException(e.Message, e.Hint);
        }
        await target.CommitAsync();
        context.Output.Notice(Summary(result, plan));
        return CliExitCodes.Success;
    }

    /// <summary><c>recorder: fetched 3.1 MiB of 412.5 MiB (0.8%) from 2 segments for 00:10:00–00:12:00 (02:00.4 written)</c>.</summary>
    private static string Summary(TimeRangeDecryptor.Result result, RecordingRangePlan plan)
    {
        var c = CultureInfo.InvariantCulture;
        static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
        var share = result.SegmentBytes == 0 ? 0 : 100.0 * result.BytesFetched / result.SegmentBytes;
        var segments = result.Segments == 1 ? "1 segment" : $"{result.Segments} segments";
        return $"recorder: fetched {MiB(result.BytesFetched)} of {MiB(result.SegmentBytes)} ({share.ToString("0.0", c)}%) from {segments} " +
               $"for {RecordingTimeText.Format(plan.FromSeconds)}–{RecordingTimeText.Format(plan.ToSeconds)} " +
               $"({RecordingTimeText.FormatLength(plan.WrittenSeconds)} written, from {RecordingTimeText.Format(plan.StartSeconds)})";
    }
}
