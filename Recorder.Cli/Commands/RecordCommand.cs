using System.CommandLine;
using System.Globalization;
using Recorder.Cli.IO;
using Recorder.Crypto;
using Recorder.Pipeline;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings;
using Recorder.Storage;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder record --meeting URI (-r RECIPIENT | --host HOST) --bucket B [--prefix P]
/// [--duration D] [--layout gallery|speaker] [--size WxH] [--json]</c>: one recording in
/// this process until the meeting ends, D elapses or a signal stops it; prints the
/// manifest's location (with --json: recordingId, manifest, segments).
/// </summary>
public sealed class RecordCommand : ICliCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);
    private const long MiB = 1024 * 1024;

    public Command Build(CliContext context)
    {
        var meeting = new Option<string>("--meeting") { Description = "the meeting: synthetic://?participants=4&seconds=20 or janus://HOST:PORT/janus?room=R", HelpName = "URI", Required = true };
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "encrypt for RECIPIENT: the host's age1… key or kms:KEY-ARN (repeatable)", HelpName = "RECIPIENT" };
        var host = new Option<string?>("--host") { Description = "the host's id, used in object keys (default: from the first recipient)", HelpName = "HOST" };
        var bucket = new Option<string>("--bucket") { Description = "the S3 bucket", HelpName = "B", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "key prefix inside the bucket", HelpName = "P", DefaultValueFactory = _ => "" };
        var duration = new Option<string?>("--duration") { Description = "stop after D (90s, 10m, 1h or hh:mm:ss)", HelpName = "D" };
        var layout = new Option<string>("--layout") { Description = "gallery or speaker", HelpName = "LAYOUT", DefaultValueFactory = _ => "gallery" };
        var size = new Option<string>("--size") { Description = "output size", HelpName = "WxH", DefaultValueFactory = _ => "1280x720" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: recordingId, manifest, segments" };
        var command = new Command("record", "record a meeting, encrypted for the host, into S3")
        {
            meeting, recipients, host, bucket, prefix, duration, layout, size, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = BuildRequest(context, parse.GetValue(meeting)!, parse.GetValue(recipients) ?? [], parse.GetValue(host),
                parse.GetValue(bucket)!, parse.GetValue(prefix)!, parse.GetValue(duration), parse.GetValue(layout)!, parse.GetValue(size)!);
            var (manifest, location) = await RunAsync(context, request, ct);
            if (parse.GetValue(json))
                context.Output.JsonDocument(new RecordDocument(manifest.RecordingId, location,
                    [.. manifest.Segments.Select(s => s.Location)], manifest.Stats?.VideoFramesDropped ?? 0), CliJson.Default.RecordDocument);
            else
                context.Output.Lines([location]);
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs a recording with progress lines on stderr and two-stage signal handling; shared with <c>demo</c>.</summary>
    internal static async Task<(RecordingManifest Manifest, string ManifestLocation)> RunAsync(
        CliContext context, RecordingRequest request, CancellationToken cancellationToken)
    {
        using var signals = new StopSignals(context.Output, cancellationToken);
        var session = new RecordingSession(request, new S3ObjectStore(context.Services.S3), new CliLogger(context.Output));
        using var progress = new Timer(_ =>
        {
            var p = session.Progress;
            context.Output.Notice(string.Create(CultureInfo.InvariantCulture,
                $"recorder: recording {p.MediaPosition:hh\\:mm\\:ss}, segment {p.CurrentSegment}, {p.VideoFramesDropped} frames dropped, "
                + $"memory {Environment.WorkingSet / MiB} MiB (managed {GC.GetTotalMemory(false) / MiB} MiB)"));
        }, null, ProgressInterval, ProgressInterval);
        context.Output.Notice($"recorder: recording {session.SourceDescription} to {session.ManifestLocation}");
        return (await session.RunAsync(signals.Stop, signals.Abort), session.ManifestLocation);
    }

    private static RecordingRequest BuildRequest(CliContext context, string meetingUri, string[] recipientTexts, string? host,
        string bucket, string prefix, string? duration, string layout, string size)
    {
        try
        {
            // Fail on a bad URI before anything connects (creating a source does not connect).
            _ = MeetingSourceFactory.MeetingId(meetingUri);
            MeetingSourceFactory.Create(meetingUri).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is FormatException or UriFormatException)
        {
            throw CliException.Usage($"--meeting: {e.Message}", "e.g. --meeting \"synthetic://?participants=4&seconds=20\"");
        }
        if (recipientTexts.Length == 0)
        {
            throw host is null
                ? CliException.Usage("give the host's key with -r RECIPIENT", "-r age1… (the host's public key) or -r kms:KEY-ARN")
                : CliException.Usage($"--host {host} needs the host registry of 'recorder serve', which this command does not use",
                    "give the host's key with -r RECIPIENT (and --host to name the host in object keys)");
        }
        var recipients = KeyArguments.Recipients(recipientTexts, context);
        var layoutKind = layout switch
        {
            "gallery" => LayoutKind.Gallery,
            "speaker" => LayoutKind.Speaker,
            _ => throw CliException.Usage($"--layout {layout}: expected gallery or speaker"),
        };
        var (width, height) = ParseSize(size);
        return new RecordingRequest
        {
            MeetingUri = meetingUri,
            Recipients = recipients,
            Bucket = bucket,
            Prefix = prefix,
            HostId = host ?? HostIdFrom(recipients[0]),
            MaxDuration = duration is null ? null : DurationParser.Parse(duration, "--duration"),
            Layout = layoutKind,
            Encoder = new FfmpegEncoderOptions { Width = width, Height = height },
        };
    }

    /// <summary>A stable, non-secret host id from the host's key: "host-" and 12 hex digits of its fingerprint.</summary>
    internal static string HostIdFrom(IRecipient recipient)
    {
        var value = recipient.Fingerprint[(recipient.Fingerprint.IndexOf(':') + 1)..];
        var hex = new string(value.Where(char.IsAsciiHexDigit).ToArray());
        return hex.Length >= 12 ? $"host-{hex[..12].ToLowerInvariant()}" : "host";
    }

    private static (int Width, int Height) ParseSize(string size) =>
        FrameSize.TryParse(size, out var w, out var h)
            ? (w, h)
            : throw CliException.Usage($"--size {size}: expected {FrameSize.Rule}", "e.g. --size 1280x720");
}
