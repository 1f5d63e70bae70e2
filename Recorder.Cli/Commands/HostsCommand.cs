using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder hosts add|list|rotate-token|set</c>: the operator registers hosts
/// with the service (operator token). A host's API token (and webhook secret)
/// is printed once, when it is made; the service keeps only its hash.
/// </summary>
public sealed class HostsCommand : ICliCommand
{
    /// <summary>The API's field names → this verb's flags, for the service's validation messages.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["name"] = "--name",
        ["recipients"] = "-r",
        ["kmsKey"] = "--kms-key",
        ["displayName"] = "--display-name",
        ["webhookUrl"] = "--webhook",
        ["removeWebhook"] = "--no-webhook",
    };

    internal const string TokenShownOnce =
        "recorder: the token is shown only this once: keep it now ('recorder hosts rotate-token HOST' replaces a lost one)";

    internal const string SecretsShownOnce =
        "recorder: the token and the webhook secret are shown only this once: keep them now ('recorder hosts rotate-token HOST' replaces a lost token)";

    public Command Build(CliContext context) => new("hosts", "register and manage hosts (operator token)")
    {
        Add(context), List(context), RotateToken(context), HostsSetCommand.Build(context), Retention(context),
    };

    private static Command Add(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "what to call the host (not used in object keys)", HelpName = "NAME", Required = true };
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "the host's age1… public key, or kms:KEY-ARN (repeatable)", HelpName = "RECIPIENT" };
        var kmsKey = new Option<string?>("--kms-key") { Description = "the host's AWS KMS key instead of -r", HelpName = "ARN" };
        var displayName = new Option<string?>("--display-name") { Description = "the name the recorder joins this host's meetings under", HelpName = "NAME" };
        var webhook = new Option<string?>("--webhook") { Description = "a URL the service posts recording events to (signed; the secret is printed once)", HelpName = "URL" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: hostId, token (and webhookSecret)" };
        var api = new ServiceConnection();
        var command = new Command("add", "register a host; prints its id and API token, once") { name, recipients, kmsKey, displayName, webhook, json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var keys = parse.GetValue(recipients) ?? [];
            var kms = parse.GetValue(kmsKey);
            if ((keys.Length > 0) == (kms is not null))
                throw CliException.Usage("give the host's key with -r RECIPIENT or --kms-key ARN (one of them)", "-r age1… (the host's public key) or --kms-key arn:aws:kms:…");
            using var client = api.Connect(parse, context);
            var request = new CreateHostRequest(parse.GetValue(name)!, keys.Length > 0 ? keys : null, kms, parse.GetValue(displayName), parse.GetValue(webhook));
            var created = await client.SendAsync(HttpMethod.Post, "hosts", request, ApiJson.Default.CreateHostRequest, ApiJson.Default.HostCreated, Fields, ct);
            if (parse.GetValue(json))
            {
                context.Output.JsonDocument(new HostAddedDocument(created.HostId, created.Token, created.WebhookSecret), CliJson.Default.HostAddedDocument);
            }
            else
            {
                List<(string, string)> facts = [("host", created.HostId), ("token", created.Token)];
                if (created.WebhookSecret is { } secret) facts.Add(("webhook secret", secret));
                context.Output.Facts(facts);
            }
            context.Output.Report(created.WebhookSecret is null ? TokenShownOnce : SecretsShownOnce);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "print one JSON document: {\"hosts\": [...]}" };
        var api = new ServiceConnection();
        var command = new Command("list", "every registered host") { json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var hosts = await client.GetAsync("hosts", ApiJson.Default.HostViewArray, ct);
            if (parse.GetValue(json))
            {
                context.Output.JsonDocument(new HostListDocument(hosts), CliJson.Default.HostListDocument);
                return CliExitCodes.Success;
            }
            context.Output.Table(["HOST", "NAME", "RECIPIENTS", "DISPLAY NAME", "WEBHOOK"],
                hosts.Select(h => (IReadOnlyList<string>)[h.HostId, h.Name, ApiText.Recipients(h.Recipients), h.DisplayName, h.WebhookUrl ?? "-"]));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command Retention(CliContext context)
    {
        var host = new Argument<string>("HOST") { Description = "the host's id (host-…)" };
        var policy = new Argument<string>("MODE:DAYS") { Description = "governance:DAYS or compliance:DAYS (1 to 36500 days)" };
        var api = new ServiceConnection();
        var command = new Command("retention", "store the host's segments and finished manifests under Object Lock from now on (the bucket needs Object Lock)")
        {
            host, policy,
        };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                _ = Recorder.Storage.ObjectRetention.ParsePolicy(parse.GetValue(policy)!);
            }
            catch (FormatException e)
            {
                throw CliException.Usage(e.Message, "e.g. recorder hosts retention host-… governance:30");
            }
            using var client = api.Connect(parse, context);
            var view = await client.SendAsync(HttpMethod.Put, $"hosts/{ServiceClient.Segment(parse.GetValue(host)!)}/retention",
                new RetentionRequest(parse.GetValue(policy)!), ApiJson.Default.RetentionRequest, ApiJson.Default.HostView, new Dictionary<string, string> { ["policy"] = "MODE:DAYS" }, ct);
            context.Output.Lines([$"{view.HostId}: {view.Retention}"]);
            context.Output.Notice("recorder: recordings that start from now on are stored locked for that long; objects already stored keep their retention");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command RotateToken(CliContext context)
    {
        var host = new Argument<string>("HOST") { Description = "the host's id (host-…)" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: hostId, token" };
        var api = new ServiceConnection();
        var command = new Command("rotate-token", "issue a new API token for a host; the old one stops working at once") { host, json };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = api.Connect(parse, context);
            var issued = await client.SendAsync(HttpMethod.Post, $"hosts/{ServiceClient.Segment(parse.GetValue(host)!)}/token",
                ApiJson.Default.TokenIssued, ct);
            if (parse.GetValue(json))
                context.Output.JsonDocument(new HostTokenDocument(issued.Id, issued.Token), CliJson.Default.HostTokenDocument);
            else
                context.Output.Facts([("host", issued.Id), ("token", issued.Token)]);
            context.Output.Report(TokenShownOnce);
            return CliExitCodes.Success;
        });
        return command;
    }
}
