using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder schedule --meeting URI [--at TIME] [--duration D] [--layout L] [--size WxH]
/// [--host HOST] [--json]</c>: asks the service to record a meeting, now or at TIME
/// (ISO 8601 with its offset); prints the recording id (--json: {"recordingId"}).
/// The service checks every value and says which flag is wrong; the recording is
/// encrypted for the host's registered keys, never for keys a request names.
/// </summary>
public sealed class ScheduleCommand : ICliCommand
{
    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["meeting"] = "--meeting",
        ["start"] = "--at",
        ["maxDuration"] = "--duration",
        ["layout"] = "--layout",
        ["size"] = "--size",
        ["host"] = "--host",
    };

    public Command Build(CliContext context)
    {
        var meeting = new Option<string>("--meeting") { Description = "the meeting: janus://HOST:PORT/janus?room=R or synthetic://?participants=4&seconds=20", HelpName = "URI", Required = true };
        var at = new Option<string?>("--at") { Description = "when to start: ISO 8601 with its offset, e.g. 2026-12-24T18:00:00Z (default: now)", HelpName = "TIME" };
        var duration = new Option<string?>("--duration") { Description = "stop after D at the latest (90s, 10m, 1h or hh:mm:ss; default: the service's)", HelpName = "D" };
        var layout = new Option<string?>("--layout") { Description = "gallery or speaker (default gallery)", HelpName = "L" };
        var size = new Option<string?>("--size") { Description = "output size (default 1280x720)", HelpName = "WxH" };
        var host = new Option<string?>("--host") { Description = "the host the recording is for (operator token only; a host's token records for itself)", HelpName = "HOST" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: {\"recordingId\"}" };
        var api = new ServiceConnection();
        var command = new Command("schedule", "record a meeting through the service, now or later; prints the recording id")
        {
            meeting, at, duration, layout, size, host, json,
        };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var request = new CreateRecordingRequest(parse.GetValue(meeting)!, parse.GetValue(at), parse.GetValue(duration),
                parse.GetValue(layout), parse.GetValue(size), parse.GetValue(host));
            var created = await client.SendAsync(HttpMethod.Post, "recordings", request,
                ApiJson.Default.CreateRecordingRequest, ApiJson.Default.RecordingCreated, Fields, ct);
            if (parse.GetValue(json))
                context.Output.JsonDocument(new ScheduleDocument(created.RecordingId), CliJson.Default.ScheduleDocument);
            else
                context.Output.Lines([created.RecordingId]);
            context.Output.Notice($"recorder: {created.State}, starts at {ApiText.Time(created.StartAt)}; 'recorder status --follow {created.RecordingId}' follows it");
            return CliExitCodes.Success;
        });
        return command;
    }
}
