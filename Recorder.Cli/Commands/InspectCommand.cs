using System.CommandLine;
using System.Globalization;
using Recorder.Cli.IO;
using Recorder.Crypto;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder inspect [--json] SOURCE</c>: header facts without a key: version,
/// stanza types, recipient fingerprints (from the hint stanza), KMS key ids and
/// contexts, sizes and chunk count.
/// </summary>
public sealed class InspectCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "print one JSON document" };
        var source = new Argument<string>("SOURCE") { Description = "a file, - or s3://bucket/key" };
        var command = new Command("inspect", "show an age file's header facts without a key") { json, source };
        command.SetAction(async (parse, ct) =>
        {
            await using var input = await InputSource.OpenAsync(parse.GetValue(source)!, context, ct);
            var info = await AgeInspector.InspectAsync(input, ct: ct);
            if (parse.GetValue(json))
            {
                context.Output.JsonDocument(new InspectDocument(info.Version, info.HeaderLengthBytes, info.StanzaTypes,
                    info.RecipientFingerprints, info.KmsKeyIds, info.KmsEncryptionContexts, info.CiphertextLengthBytes,
                    info.PlaintextLengthBytes, info.ChunkCount), CliJson.Default.InspectDocument);
                return CliExitCodes.Success;
            }
            static string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "invalid (truncated or trailing data)";
            context.Output.Facts(
            [
                ("version", info.Version),
                ("header", $"{info.HeaderLengthBytes} bytes"),
                ("stanzas", string.Join(", ", info.StanzaTypes)),
                ("recipients", info.RecipientFingerprints.Count == 0 ? "(no hint stanza)" : string.Join(", ", info.RecipientFingerprints)),
                ("kms keys", info.KmsKeyIds.Count == 0 ? "(none)" : string.Join(", ", info.KmsKeyIds)),
                ("ciphertext", $"{info.CiphertextLengthBytes} bytes"),
                ("plaintext", info.PlaintextLengthBytes is null ? N(null) : $"{N(info.PlaintextLengthBytes)} bytes"),
                ("chunks", N(info.ChunkCount)),
            ]);
            return CliExitCodes.Success;
        });
        return command;
    }
}
