using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder stop ID</c>: asks the service to end a recording that has started
/// (it finishes the current segment and completes the upload); prints the state.
/// A recording that has not started is cancelled instead (<c>recorder cancel</c>).
/// </summary>
public sealed class StopCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var id = new Argument<string>("ID") { Description = "the recording's id" };
        var api = new ServiceConnection();
        var command = new Command("stop", "end a recording: the current segment is finished and uploaded") { id };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var view = await client.SendAsync(HttpMethod.Post, $"recordings/{ServiceClient.Segment(parse.GetValue(id)!)}/stop",
                ApiJson.Default.RecordingView, ct);
            context.Output.Lines([view.State]);
            context.Output.Notice($"recorder: stop requested; 'recorder status --follow {view.RecordingId}' waits until it has ended");
            return CliExitCodes.Success;
        });
        return command;
    }
}
