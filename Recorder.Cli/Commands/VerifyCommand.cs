using System.CommandLine;
using Recorder.Cli.S3;
using Recorder.Pipeline.Audit;
using Recorder.Storage;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder verify [-i IDENTITY]... [--trust FILE] [--json] SOURCE</c>: one recording (SOURCE: its manifest or
/// one of its segments, in S3) as an auditor checks it without a key — signature, who signed, ciphertext hashes,
/// recipients — and with <c>-i</c> by full authenticated decryption and a probe of the media. Exit 0 when
/// everything holds, 3 on a violation (each named on stderr and in <c>--json</c>).
/// </summary>
public sealed class VerifyCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var identities = new Option<string[]>("--identity", "-i") { Description = "also decrypt every segment with this age identity file and probe the media (repeatable)", HelpName = "IDENTITY" };
        var trust = new Option<string?>("--trust")
        {
            Description = "the signing keys to trust: the recorder's public key (.pub) or an OpenSSH allowed_signers file (valid-after/valid-before for rotated keys)",
            HelpName = "PUBKEY-FILE",
        };
        var json = new Option<bool>("--json") { Description = "print one JSON document: signature, segments, findings" };
        var source = new Argument<string>("SOURCE") { Description = "s3://bucket/…/manifest.json, or one segment s3://bucket/…/segment-0001.mp4.age" };
        var command = new Command("verify", "check one recording's signature, hashes and recipients without a key (with -i: decrypt and probe it too)")
        {
            identities, trust, json, source,
        };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(source)!;
            if (!ObjectLocation.TryParse(text, out var location) || !(location.Key.EndsWith("/manifest.json", StringComparison.Ordinal)
                    || location.Key == "manifest.json" || location.Key.EndsWith(".mp4.age", StringComparison.Ordinal)))
                throw CliException.Usage($"verify checks stored recordings: '{text}' is not an s3:// manifest.json or segment-NNNN.mp4.age",
                    "e.g. recorder verify s3://recordings/HOST/MEETING/REC/manifest.json");
            S3.S3BucketName.Check(location.Bucket, text);
            var trusted = LoadTrust(parse.GetValue(trust));
            var owned = new List<IDisposable>();
            try
            {
                var paths = parse.GetValue(identities) ?? [];
                var ids = paths.Length == 0 ? [] : KeyArguments.Identities(paths, context, owned);
                var verifier = new RecordingVerifier(new S3ObjectStore(context.Services.S3), new VerifyOptions { Trust = trusted, Identities = ids, CheckAuditLog = true });

                var result = await verifier.VerifyAsync(location, parse.GetValue(json) ? null : new NoticeProgress(context, "verify"), ct);
                foreach (var f in result.Findings) context.Output.Report(FindingLine(f));
                if (parse.GetValue(json)) context.Output.JsonDocument(result, CliJson.Default.RecordingVerification);
                else context.Output.Lines([result.Holds ? $"verified: {result.Manifest}" : $"VIOLATIONS: {result.Manifest}"]);
                return result.Holds ? CliExitCodes.Success : CliExitCodes.Violation;
            }
            finally
            {
                foreach (var d in owned) d.Dispose();
            }
        });
        return command;
    }

    /// <summary>One finding on stderr; the subject and message can carry object keys, so they are made terminal-safe.</summary>
    internal static string FindingLine(AuditFinding f) =>
        $"recorder: {f.Severity.ToString().ToLowerInvariant()}: {f.Code}: {IO.TerminalText.Safe(f.Subject)}: {IO.TerminalText.Safe(f.Message)}";

    internal static TrustedSigners? LoadTrust(string? path)
    {
        if (path is null) return null;
        try
        {
            return TrustedSigners.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw CliException.Usage($"--trust {path}: {e.Message}",
                "give the recorder's public key (ssh-ed25519 … line) or an allowed_signers file: 'recorder ssh-ed25519 AAAA…' per line");
        }
    }
}
