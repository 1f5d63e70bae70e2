using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder auditors add --name NAME [--json]</c> and <c>recorder auditors list [--json]</c>:
/// the operator registers auditors, who read every recording's metadata and
/// manifest and change nothing. An auditor's token is printed once.
/// </summary>
public sealed class AuditorsCommand : ICliCommand
{
    public Command Build(CliContext context) => new("auditors", "register auditors, who read every recording's state (operator token)")
    {
        Add(context), List(context),
    };

    private static Command Add(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "what to call the auditor", HelpName = "NAME", Required = true };
        var json = new Option<bool>("--json") { Description = "print one JSON document: auditorId, token" };
        var api = new ServiceConnection();
        var command = new Command("add", "register an auditor; prints its id and API token, once") { name, json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var created = await client.SendAsync(HttpMethod.Post, "auditors", new CreateAuditorRequest(parse.GetValue(name)!),
                ApiJson.Default.CreateAuditorRequest, ApiJson.Default.AuditorCreated, new Dictionary<string, string> { ["name"] = "--name" }, ct);
            if (parse.GetValue(json))
                context.Output.JsonDocument(new AuditorAddedDocument(created.AuditorId, created.Token), CliJson.Default.AuditorAddedDocument);
            else
                context.Output.Facts([("auditor", created.AuditorId), ("token", created.Token)]);
            context.Output.Report("recorder: the token is shown only this once: keep it now");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "print one JSON document: {\"auditors\": [...]}" };
        var api = new ServiceConnection();
        var command = new Command("list", "every registered auditor") { json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var auditors = await client.GetAsync("auditors", ApiJson.Default.AuditorViewArray, ct);
            if (parse.GetValue(json))
                context.Output.JsonDocument(new AuditorListDocument(auditors), CliJson.Default.AuditorListDocument);
            else
                context.Output.Table(["AUDITOR", "NAME", "CREATED"], auditors.Select(a => (IReadOnlyList<string>)[a.AuditorId, a.Name, ApiText.Time(a.CreatedAt)]));
            return CliExitCodes.Success;
        });
        return command;
    }
}
