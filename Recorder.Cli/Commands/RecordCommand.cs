using System.CommandLine;
using Recorder.Cli.IO;
using Recorder.Crypto;
using Recorder.Pipeline;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Events;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Output;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder record --meeting URI (-r RECIPIENT | --host HOST) --bucket B [--prefix P]
/// [--duration D] [--segment D] [--layout gallery|speaker] [--size WxH] [--recording-id ID] [--display-name NAME]
/// [--json | --events]</c>: one recording in this process until the meeting ends, D elapses or a
/// signal stops it; prints the manifest's location (with --json: recordingId, manifest, segments;
/// with --events: one JSON line per event as it happens, for a supervising service).
/// </summary>
public sealed class RecordCommand : ICliCommand
{
    /// <summary>How long the last event line may take to get out before the process exits anyway.</summary>
    private static readonly TimeSpan LastLineTimeout = TimeSpan.FromSeconds(5);

    public Command Build(CliContext context)
    {
        var meeting = new Option<string?>("--meeting")
        {
            Description = $"the meeting: synthetic://?participants=4&seconds=20 or janus://HOST:PORT/janus?room=R (or ${MeetingVariable})",
            HelpName = "URI",
        };
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "encrypt for RECIPIENT: the host's age1… key or kms:KEY-ARN (repeatable)", HelpName = "RECIPIENT" };
        var host = new Option<string?>("--host") { Description = "the host's id, used in object keys (default: from the first recipient)", HelpName = "HOST" };
        var bucket = new Option<string>("--bucket") { Description = "the S3 bucket", HelpName = "B", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "key prefix inside the bucket", HelpName = "P", DefaultValueFactory = _ => "" };
        var duration = new Option<string?>("--duration") { Description = "stop after D (90s, 10m, 1h or hh:mm:ss)", HelpName = "D" };
        var segment = new Option<string?>("--segment")
        {
            Description = $"start a new segment (its own age file and file key) every D of media (default 1h; {MinSegment.TotalSeconds:0}s to 24h)",
            HelpName = "D",
        };
        var layout = new Option<string>("--layout") { Description = "gallery or speaker", HelpName = "LAYOUT", DefaultValueFactory = _ => "gallery" };
        var size = new Option<string>("--size") { Description = "output size", HelpName = "WxH", DefaultValueFactory = _ => "1280x720" };
        var recordingId = new Option<string?>("--recording-id") { Description = "the recording's id (default: a new one)", HelpName = "ID" };
        var displayName = new Option<string?>("--display-name") { Description = $"the name the recorder joins the meeting under (default for Janus: {DisplayNames.Default})", HelpName = "NAME" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: recordingId, manifest, segments" };
        var events = new Option<bool>("--events") { Description = "print one JSON line per event as it happens; the end of stdin stops the recording cleanly" };
        var continuation = new Option<bool>("--continue")
        {
            Description = "take over recording ID after its worker died: complete the segment it left (truncated), then record on in a new segment",
        };
        var finishOnly = new Option<bool>("--finish-only") { Description = "with --continue: record nothing more, only complete what the previous worker left" };
        var leaseEpoch = new Option<long?>("--lease-epoch")
        {
            Description = "the lease epoch (fencing counter) the supervising service holds; stored on every object written",
            HelpName = "N",
        };
        var signingKey = SigningKeyArgument.Create();
        var retention = new Option<string?>("--retention")
        {
            Description = "store segments and the finished manifest under Object Lock: governance:DAYS or compliance:DAYS (the bucket needs Object Lock)",
            HelpName = "MODE:DAYS",
        };
        var command = new Command("record", "record a meeting, encrypted for the host, into S3")
        {
            meeting, recipients, host, bucket, prefix, duration, segment, layout, size, recordingId, displayName, json, events, continuation, finishOnly, leaseEpoch,
            signingKey, retention,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(events) && parse.GetValue(json))
                throw CliException.Usage("--events and --json cannot be used together",
                    "--events prints a JSON line per event as it happens, --json one document at the end: choose one");
            var request = BuildRequest(context, MeetingUri(context, parse.GetValue(meeting)), parse.GetValue(recipients) ?? [], parse.GetValue(host),
                parse.GetValue(bucket)!, parse.GetValue(prefix)!, parse.GetValue(duration), parse.GetValue(layout)!, parse.GetValue(size)!,
                parse.GetValue(displayName)) with
            {
                RecordingId = CheckRecordingId(parse.GetValue(recordingId)),
                Continue = parse.GetValue(continuation),
                FinishOnly = parse.GetValue(finishOnly),
                LeaseEpoch = parse.GetValue(leaseEpoch),
                MaxSegmentDuration = ParseSegment(parse.GetValue(segment)),
            };
            if (request.Continue && request.RecordingId is null)
                throw CliException.Usage("--continue needs --recording-id ID: the recording to take over");
            if (request.FinishOnly && !request.Continue) throw CliException.Usage("--finish-only goes with --continue");
            if (request.LeaseEpoch is < 0) throw CliException.Usage("--lease-epoch must not be negative");
            // The last usage check (the others name their own problem first), still before anything connects or records.
            S3.S3BucketName.Check(request.Bucket, "--bucket");
            using var signer = SigningKeyArgument.Load(context, parse.GetValue(signingKey));
            request = request with { Signer = signer, Retention = ParseRetention(parse.GetValue(retention)) };
            if (parse.GetValue(events)) return await RunWithEventsAsync(context, request, ct);

            var (manifest, location) = await RecordingRun.RunAsync(context, request, ct);
            if (parse.GetValue(json))
                context.Output.JsonDocument(new RecordDocument(manifest.RecordingId, location,
                    [.. manifest.Segments.Select(s => s.Location)], manifest.Stats?.VideoFramesDropped ?? 0), CliJson.Default.RecordDocument);
            else
                context.Output.Lines([location]);
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// <c>--events</c>: the last line is <c>completed</c> or <c>failed</c> (with the very message stderr's
    /// error line carries). From here on a write to stdout or stderr that fails is dropped: the
    /// supervisor reading them may be gone, and the recording must still finish in S3.
    /// </summary>
    private static async Task<int> RunWithEventsAsync(CliContext context, RecordingRequest request, CancellationToken ct)
    {
        context.Output.DropFailedWrites = true;
        var lines = new EventLines(context.Output);
        try
        {
            var (manifest, location) = await RecordingRun.RunAsync(context, request, ct, lines);
            await lines.CloseAsync(new RecordingEvent
            {
                Event = RecordingEvent.Completed,
                Time = DateTimeOffset.UtcNow,
                Manifest = location,
                Reason = manifest.EndReason,
                VideoFramesDropped = manifest.Stats?.VideoFramesDropped ?? 0,
            }, LastLineTimeout);
            return CliExitCodes.Success;
        }
        catch (Exception e)
        {
            await lines.CloseAsync(new RecordingEvent
            {
                Event = RecordingEvent.Failed,
                Time = DateTimeOffset.UtcNow,
                Error = CliOutput.Normalize(CliErrors.Describe(e, "record", context.Console.Environment).Message),
            }, LastLineTimeout);
            throw;
        }
    }

    /// <summary>The shortest segment <c>--segment</c> allows: a few of the encoder's 2-s fragments.</summary>
    internal static readonly TimeSpan MinSegment = TimeSpan.FromSeconds(10);

    private static TimeSpan ParseSegment(string? text)
    {
        if (text is null) return RecordingRequest.DefaultMaxSegmentDuration;
        var value = DurationParser.Parse(text, "--segment");
        return value >= MinSegment && value <= TimeSpan.FromHours(24)
            ? value
            : throw CliException.Usage($"--segment {text}: a segment lasts {MinSegment.TotalSeconds:0}s to 24h", "e.g. --segment 10m");
    }

    private static (Amazon.S3.ObjectLockMode, int)? ParseRetention(string? text)
    {
        if (text is null) return null;
        try
        {
            return Recorder.Storage.ObjectRetention.ParsePolicy(text);
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"--retention: {e.Message}", "e.g. --retention governance:30");
        }
    }

    private static string? CheckRecordingId(string? id) =>
        id is null || RecordingLocation.IsValidId(id)
            ? id
            : throw CliException.Usage($"--recording-id {id}: expected {RecordingLocation.IdRule}", "e.g. --recording-id rec-2026-0001");

    /// <summary>
    /// The meeting URI may come from the environment instead of --meeting: a Janus PIN or
    /// room secret in a command line is readable by every user of the machine (ps), the
    /// environment only by the process's owner. The service passes it so.
    /// </summary>
    public const string MeetingVariable = "RECORDER_MEETING";

    private static string MeetingUri(CliContext context, string? flag) =>
        flag ?? (context.Console.Environment(MeetingVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : throw CliException.Usage("which meeting? give --meeting URI",
                $"or set {MeetingVariable}, which keeps a PIN or room secret out of the process list"));

    private static RecordingRequest BuildRequest(CliContext context, string meetingUri, string[] recipientTexts, string? host,
        string bucket, string prefix, string? duration, string layout, string size, string? displayName)
    {
        if (displayName is not null && !DisplayNames.IsValid(displayName))
            throw CliException.Usage($"--display-name: expected {DisplayNames.Rule}");
        try
        {
            // Fail on a bad URI before anything connects (creating a source does not connect).
            _ = MeetingSourceFactory.MeetingId(meetingUri);
            MeetingSourceFactory.Create(meetingUri, displayName).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is FormatException or UriFormatException)
        {
            throw CliException.Usage($"--meeting: {e.Message}", "e.g. --meeting \"synthetic://?participants=4&seconds=20\"");
        }
        catch (ArgumentException e) when (e.ParamName == "displayName")
        {
            throw CliException.Usage("give the display name once: --display-name or display= in the meeting URI, not both");
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
            DisplayName = displayName,
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
