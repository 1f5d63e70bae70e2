using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder legal-hold set|release ID</c> (operator token): puts every stored object of a recording under an
/// Object Lock legal hold, or releases it; while held, no version can be deleted, whatever its retention. Each is an
/// audit event.
/// </summary>
public sealed class LegalHoldCommand : ICliCommand
{
    public Command Build(CliContext context) => new("legal-hold", "set or release a legal hold on a recording's stored objects (operator token)")
    {
        Verb(context, "set", "hold every stored object of the recording: none can be deleted until released", on: true),
        Verb(context, "release", "release the hold: the objects' retention alone decides again", on: false),
    };

    private static Command Verb(CliContext context, string name, string description, bool on)
    {
        var id = new Argument<string>("ID") { Description = "the recording's id" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: recordingId, legalHold, objects" };
        var api = new ServiceConnection();
        var command = new Command(name, description) { id, json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var view = await client.SendAsync(HttpMethod.Put, $"recordings/{ServiceClient.Segment(parse.GetValue(id)!)}/legal-hold",
                new LegalHoldRequest(on), ApiJson.Default.LegalHoldRequest, ApiJson.Default.LegalHoldView, null, ct);
            if (parse.GetValue(json)) context.Output.JsonDocument(view, ApiJson.Default.LegalHoldView);
            else context.Output.Lines([.. view.Objects.Select(o => $"{(view.LegalHold ? "held" : "released")} {o}")]);
            return CliExitCodes.Success;
        });
        return command;
    }
}
