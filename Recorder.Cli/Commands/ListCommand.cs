using System.CommandLine;
using System.Globalization;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder list [--state S] [--limit N] [--json]</c>: recordings, newest first —
/// a host's own, or every host's for the operator and auditors. Follows the
/// service's page cursors until all are listed (or N). <c>--json</c>:
/// {"recordings": [{"recordingId", "state", "startAt", "manifest"}, …]}.
/// </summary>
public sealed class ListCommand : ICliCommand
{
    /// <summary>The service's largest page (RecordingEndpoints.MaxPageSize): fewest round trips.</summary>
    internal const int PageSize = 200;

    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["state"] = "--state",
        ["limit"] = "--limit",
    };

    public Command Build(CliContext context)
    {
        var state = new Option<string?>("--state") { Description = "only recordings in state S: scheduled, joining, recording, finalizing, completed, failed", HelpName = "S" };
        var limit = new Option<int?>("--limit") { Description = "at most N recordings (default: all)", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: {\"recordings\": [{recordingId, state, startAt, manifest}]}" };
        var api = new ServiceConnection();
        var command = new Command("list", "recordings, newest first") { state, limit, json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var max = parse.GetValue(limit);
            if (max is < 1) throw CliException.Usage($"--limit {max}: give 1 or more");
            using var client = api.Connect(parse, context);
            var recordings = await ListAsync(client, parse.GetValue(state), max, ct);
            if (parse.GetValue(json))
            {
                context.Output.JsonDocument(new RecordingListDocument([.. recordings.Select(r => new RecordingListItem(r.RecordingId, r.State, r.StartAt, r.Manifest))]),
                    CliJson.Default.RecordingListDocument);
                return CliExitCodes.Success;
            }
            context.Output.Table(["RECORDING", "STATE", "START AT", "HOST", "MEETING"],
                recordings.Select(r => (IReadOnlyList<string>)[r.RecordingId, r.State, ApiText.Time(r.StartAt), r.HostId, r.Meeting]));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static async Task<List<RecordingView>> ListAsync(ServiceClient client, string? state, int? max, CancellationToken cancellationToken)
    {
        var all = new List<RecordingView>();
        string? after = null;
        do
        {
            var size = Math.Min(PageSize, (max ?? int.MaxValue) - all.Count);
            var query = string.Create(CultureInfo.InvariantCulture, $"recordings?limit={size}")
                + (state is null ? "" : $"&state={Uri.EscapeDataString(state)}")
                + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            var page = await client.GetAsync(query, ApiJson.Default.RecordingList, cancellationToken, Fields);
            all.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null && all.Count < (max ?? int.MaxValue));
        return all;
    }
}
