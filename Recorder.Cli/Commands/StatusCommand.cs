using System.CommandLine;
using Recorder.Cli.Api;
using Recorder.Pipeline.Text;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder status ID [--json] [--follow]</c>: a recording's state, the time of
/// each state, segments, manifest, dropped frames and error. <c>--json</c> prints
/// the contract's document {"recordingId", "state", "segments", "manifest", "error"}.
/// <c>--follow</c> polls every second and prints each state as it is seen, until
/// the recording has completed (exit 0) or failed (exit 1), so scripts can wait for one.
/// </summary>
public sealed class StatusCommand : ICliCommand
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public Command Build(CliContext context)
    {
        var id = new Argument<string>("ID") { Description = "the recording's id" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: recordingId, state, segments, manifest, error" };
        var follow = new Option<bool>("--follow") { Description = "print each state as it changes; exit when the recording has completed (0) or failed (1)" };
        var api = new ServiceConnection();
        var command = new Command("status", "a recording's state, times, segments and manifest") { id, json, follow };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var path = $"recordings/{ServiceClient.Segment(parse.GetValue(id)!)}";
            var view = parse.GetValue(follow)
                ? await FollowAsync(client, path, context, parse.GetValue(json), ct)
                : await client.GetAsync(path, ApiJson.Default.RecordingView, ct);
            if (parse.GetValue(json)) context.Output.JsonDocument(StatusDocument.Of(view), CliJson.Default.StatusDocument);
            else if (!parse.GetValue(follow)) context.Output.Facts(Facts(view));
            if (view.State == "failed" && parse.GetValue(follow))
                throw new CliException($"recording {view.RecordingId} failed: {view.Error ?? "the service gave no reason"}");
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>Polls until the recording ends; each state seen is a line (on stderr with --json, whose stdout is the one document).</summary>
    private static async Task<RecordingView> FollowAsync(ServiceClient client, string path, CliContext context, bool json, CancellationToken cancellationToken)
    {
        string? shown = null;
        while (true)
        {
            var view = await client.GetAsync(path, ApiJson.Default.RecordingView, cancellationToken);
            if (view.State != shown)
            {
                var line = $"{ApiText.Time(EnteredAt(view) ?? DateTimeOffset.UtcNow)}  {view.State}";
                if (json) context.Output.Notice($"recorder: {line}");
                else context.Output.Lines([line]);
                shown = view.State;
            }
            if (view.State is "completed" or "failed") return view;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static DateTimeOffset? EnteredAt(RecordingView view) => view.State switch
    {
        "scheduled" => view.Times.Scheduled,
        "joining" => view.Times.Joining,
        "recording" => view.Times.Recording,
        "finalizing" => view.Times.Finalizing,
        "completed" => view.Times.Completed,
        "failed" => view.Times.Failed,
        _ => null,
    };

    private static List<(string, string)> Facts(RecordingView view)
    {
        List<(string, string)> facts =
        [
            ("recording", view.RecordingId),
            ("state", view.State + (view.StopRequested && view.State is not ("completed" or "failed") ? " (stop requested)" : "")),
            ("host", view.HostId),
            ("meeting", view.Meeting),
            ("layout", $"{view.Layout}, {view.Size}, at most {DurationText.Format(TimeSpan.FromSeconds(view.MaxDurationSeconds))}"),
            ("start at", ApiText.Time(view.StartAt)),
            ("scheduled at", ApiText.Time(view.Times.Scheduled)),
        ];
        void Time(string label, DateTimeOffset? time)
        {
            if (time is { } t) facts.Add((label, ApiText.Time(t)));
        }
        Time("joining at", view.Times.Joining);
        if (view.StartedLateSeconds is { } late) facts.Add(("started late", $"{ApiText.Number(late)} s"));
        Time("recording at", view.Times.Recording);
        Time("finalizing at", view.Times.Finalizing);
        Time("completed at", view.Times.Completed);
        Time("failed at", view.Times.Failed);
        // Taken from the host's registration when the recording starts: none before.
        facts.Add(("recipients", view.Recipients.Count == 0 ? "-" : string.Join(", ", view.Recipients)));
        facts.Add(("segments", ApiText.Number(view.Segments.Count)));
        foreach (var s in view.Segments)
            facts.Add(($"segment {s.Number}", $"{s.Uri} ({ApiText.Number(s.Bytes)} bytes, {ApiText.Number(s.DurationSeconds)} s{(s.Truncated ? ", truncated" : "")})"));
        facts.Add(("manifest", view.Manifest ?? "-"));
        facts.Add(("dropped frames", ApiText.Number(view.VideoFramesDropped)));
        facts.Add(("uploaded", $"{ApiText.Number(view.BytesUploaded)} bytes"));
        if (view.EndReason is { } reason) facts.Add(("end reason", reason));
        if (view.Error is { } error) facts.Add(("error", error));
        return facts;
    }
}
