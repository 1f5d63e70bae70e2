using System.CommandLine;
using System.Text.Json;
using Recorder.Cli.IO;
using Recorder.Pipeline.Audit;
using Recorder.Storage;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder audit --bucket B [--prefix P] [--trust FILE] [--hosts FILE] [--stale-after D] [--json] [--report FILE.html]</c>:
/// every object and incomplete upload under the prefix, the audit log, and the bucket's settings, without any key
/// (docs/audit.md). Progress and each finding on stderr; exit 0 when everything holds, 3 on a violation or a failed
/// setting.
/// </summary>
public sealed class AuditCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var bucket = new Option<string>("--bucket") { Description = "the bucket to audit", HelpName = "B", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "only keys under this prefix (the service's --prefix)", HelpName = "P", DefaultValueFactory = _ => "" };
        var trust = new Option<string?>("--trust") { Description = "the signing keys to trust: a .pub or allowed_signers file (as for verify)", HelpName = "PUBKEY-FILE" };
        var hosts = new Option<string?>("--hosts")
        {
            Description = "the host registry (recorder hosts list --json > hosts.json): segments must be wrapped only for their host's registered keys",
            HelpName = "FILE",
        };
        var staleAfter = new Option<string>("--stale-after")
        {
            Description = "report incomplete uploads and tail pieces older than D", HelpName = "D", DefaultValueFactory = _ => "24h",
        };
        var json = new Option<bool>("--json") { Description = "print the whole report as one JSON document" };
        var report = new Option<string?>("--report") { Description = "also write a self-contained HTML report an auditor can attach to a finding", HelpName = "FILE.html" };
        var command = new Command("audit", "check every object in a bucket, the audit log and the bucket's settings, without any key")
        {
            bucket, prefix, trust, hosts, staleAfter, json, report,
        };
        command.SetAction(async (parse, ct) =>
        {
            S3.S3BucketName.Check(parse.GetValue(bucket)!, "--bucket");
            var options = new AuditOptions
            {
                Prefix = parse.GetValue(prefix)!,
                Trust = VerifyCommand.LoadTrust(parse.GetValue(trust)),
                HostRecipients = LoadHosts(context, parse.GetValue(hosts)),
                StaleAfter = DurationParser.Parse(parse.GetValue(staleAfter)!, "--stale-after"),
            };
            var name = parse.GetValue(bucket)!;
            var settings = await BucketSettingsReader.ReadAsync(context.Services.S3, name, ct);
            var auditor = new BucketAuditor(new S3ObjectStore(context.Services.S3), options);
            AuditReport result;
            await using (var progress = new Progress.AuditProgress(context, auditor))
                result = await auditor.AuditAsync(name, settings, progress, ct);
            foreach (var s in result.Settings.Where(s => s.Status != SettingStatus.Pass))
                context.Output.Report($"recorder: setting: {s.Name}: {(s.Status == SettingStatus.Fail ? "FAIL" : "cannot verify")}: {s.Detail}");
            foreach (var f in result.Findings) context.Output.Report(VerifyCommand.FindingLine(f));
            if (parse.GetValue(report) is { } path)
            {
                await using var target = await OutputTarget.OpenAsync(path, context, privateFile: false, ct);
                await AuditReportHtml.WriteAsync(result, target.Stream, ct);
                await target.CommitAsync();
                context.Output.Notice($"recorder: audit: report written to {path}");
            }
            if (parse.GetValue(json)) context.Output.JsonDocument(result, CliJson.Default.AuditReport);
            else context.Output.Lines([Summary(result)]);
            return result.Holds ? CliExitCodes.Success : CliExitCodes.Violation;
        });
        return command;
    }

    private static string Summary(AuditReport r)
    {
        var violations = r.Findings.Count(f => f.Severity == FindingSeverity.Violation);
        var warnings = r.Findings.Count(f => f.Severity == FindingSeverity.Warning);
        var failed = r.Settings.Count(s => s.Status == SettingStatus.Fail);
        var where = $"s3://{r.Bucket}/{r.Prefix}";
        return (r.Holds ? "HOLDS: " : "VIOLATIONS: ") + $"{where}: {r.Counts.Objects} objects, {r.Counts.Recordings} recordings, {r.Counts.LogEntries} log entries; "
            + $"{violations} violations, {warnings} warnings, {failed} failed settings";
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? LoadHosts(CliContext context, string? path)
    {
        if (path is null) return null;
        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), CliJson.Default.HostListDocument)
                ?? throw new JsonException("empty document");
            return document.Hosts.ToDictionary(h => h.HostId,
                h => (IReadOnlyList<string>)KeyArguments.Recipients(h.Recipients, context).Select(r => r.Fingerprint).ToArray(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw CliException.Usage($"--hosts {path}: {e.Message}", "give the output of: recorder hosts list --json");
        }
    }
}

/// <summary>Progress lines on stderr, in order, as they happen (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class NoticeProgress(CliContext context, string verb) : IProgress<string>
{
    public void Report(string value) => context.Output.Notice($"recorder: {verb}: {value}");
}
