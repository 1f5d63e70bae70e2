using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder cancel ID</c>: removes a recording that has not started yet
/// (DELETE /recordings/{id}); prints <c>cancelled</c>. One that has started is
/// ended with <c>recorder stop</c>, and what it recorded stays.
/// </summary>
public sealed class CancelCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var id = new Argument<string>("ID") { Description = "the recording's id" };
        var api = new ServiceConnection();
        var command = new Command("cancel", "cancel a scheduled recording that has not started") { id };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            await client.SendAsync(HttpMethod.Delete, $"recordings/{ServiceClient.Segment(parse.GetValue(id)!)}", ct);
            context.Output.Lines(["cancelled"]);
            return CliExitCodes.Success;
        });
        return command;
    }
}
