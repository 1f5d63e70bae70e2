using System.CommandLine;
using Recorder.Cli.Api;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder hosts set HOST [-r RECIPIENT… | --kms-key ARN] [--name N] [--display-name N]
/// [--webhook URL | --no-webhook] [--json]</c>: changes only what is given (PATCH
/// /hosts/{id}). New recipients apply to recordings that start afterwards; a new
/// webhook URL gets a new secret, printed once.
/// </summary>
internal static class HostsSetCommand
{
    public static Command Build(CliContext context)
    {
        var host = new Argument<string>("HOST") { Description = "the host's id (host-…)" };
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "replace the host's keys: age1… or kms:KEY-ARN (repeatable)", HelpName = "RECIPIENT" };
        var kmsKey = new Option<string?>("--kms-key") { Description = "replace the host's keys with this AWS KMS key", HelpName = "ARN" };
        var name = new Option<string?>("--name") { Description = "a new name", HelpName = "NAME" };
        var displayName = new Option<string?>("--display-name") { Description = "the name the recorder joins meetings under", HelpName = "NAME" };
        var webhook = new Option<string?>("--webhook") { Description = "a new webhook URL (with a new secret, printed once)", HelpName = "URL" };
        var noWebhook = new Option<bool>("--no-webhook") { Description = "remove the webhook" };
        var json = new Option<bool>("--json") { Description = "print one JSON document: host (and webhookSecret)" };
        var api = new ServiceConnection();
        var command = new Command("set", "change a host's name, keys, display name or webhook")
        {
            host, recipients, kmsKey, name, displayName, webhook, noWebhook, json,
        };
        api.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var keys = parse.GetValue(recipients) ?? [];
            var request = new UpdateHostRequest(parse.GetValue(name), keys.Length > 0 ? keys : null, parse.GetValue(kmsKey),
                parse.GetValue(displayName), parse.GetValue(webhook), parse.GetValue(noWebhook) ? true : null);
            if (request.Recipients is not null && request.KmsKey is not null)
                throw CliException.Usage("give -r RECIPIENT or --kms-key ARN, not both", "a KMS key may also be given as -r kms:ARN");
            if (request.WebhookUrl is not null && request.RemoveWebhook is not null)
                throw CliException.Usage("give --webhook URL or --no-webhook, not both");
            if (request == new UpdateHostRequest(null, null, null, null, null, null))
                throw CliException.Usage("nothing to change", "give -r, --kms-key, --name, --display-name, --webhook or --no-webhook");

            using var client = api.Connect(parse, context);
            var updated = await client.SendAsync(HttpMethod.Patch, $"hosts/{ServiceClient.Segment(parse.GetValue(host)!)}", request,
                ApiJson.Default.UpdateHostRequest, ApiJson.Default.HostUpdated, HostsCommand.Fields, ct);
            if (parse.GetValue(json))
            {
                context.Output.JsonDocument(new HostSetDocument(updated.Host, updated.WebhookSecret), CliJson.Default.HostSetDocument);
            }
            else
            {
                var h = updated.Host;
                List<(string, string)> facts =
                [
                    ("host", h.HostId),
                    ("name", h.Name),
                    ("recipients", string.Join(", ", h.Recipients)),
                    ("display name", h.DisplayName),
                    ("webhook", h.WebhookUrl ?? "-"),
                ];
                if (updated.WebhookSecret is { } secret) facts.Add(("webhook secret", secret));
                context.Output.Facts(facts);
            }
            if (updated.WebhookSecret is not null)
                context.Output.Report("recorder: the webhook secret is shown only this once: give it to the webhook's receiver now");
            return CliExitCodes.Success;
        });
        return command;
    }
}
