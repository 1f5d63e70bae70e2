using System.CommandLine;
using Recorder.Cli.IO;
using Recorder.Cli.Progress;
using Recorder.Cli.S3;
using Recorder.Crypto;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder grant -i IDENTITY -r NEW_RECIPIENT [-o DEST] SOURCE</c>: re-wraps the
/// file key for the new recipients, keeping the existing recipient stanzas, and
/// writes the new header over the byte-identical payload. From s3:// to s3:// the
/// payload is copied inside the store (UploadPartCopy) where it allows, else streamed.
/// The header MAC is checked; the payload is not decrypted.
/// </summary>
public sealed class GrantCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var identities = new Option<string[]>("--identity", "-i") { Description = "an identity file that opens SOURCE", HelpName = "IDENTITY", Required = true };
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "grant to NEW_RECIPIENT: age1… or kms:KEY-ARN (repeatable)", HelpName = "NEW_RECIPIENT", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "write to DEST: a file, - or s3://bucket/key (default stdout)", HelpName = "DEST" };
        var source = new Argument<string>("SOURCE") { Description = "a file, - or s3://bucket/key" };
        var command = new Command("grant", "re-wrap an age file's key for another recipient without re-encrypting") { identities, recipients, output, source };
        command.SetAction(async (parse, ct) =>
        {
            var owned = new List<IDisposable>();
            try
            {
                var newRecipients = KeyArguments.Recipients(parse.GetValue(recipients) ?? [], context);
                var ids = KeyArguments.Identities(parse.GetValue(identities) ?? [], context, owned);
                var (from, to) = (parse.GetValue(source)!, parse.GetValue(output));
                var options = new AgeEncryptOptions { KmsEncryptionContext = KeyArguments.CliKmsContext("grant") };
                await using var input = await InputSource.OpenAsync(from, context, ct);
                var rewrap = await AgeRewrapper.RewrapHeaderAsync(input, ids, newRecipients, keepExistingRecipients: true, options, ct);
                if (S3Uri.IsS3(from) && to is not null && S3Uri.IsS3(to) &&
                    await S3Rewrap.TryCopyAsync(context.Services.S3, S3Uri.Parse(from), S3Uri.Parse(to), rewrap, ct) is not null)
                {
                    return CliExitCodes.Success;
                }
                await using var target = await OutputTarget.OpenAsync(to, context, privateFile: false, ct);
                await target.Stream.WriteAsync(rewrap.Header, ct);
                if (input.CanSeek) input.Position = rewrap.PayloadOffset;
                else await target.Stream.WriteAsync(rewrap.BytesReadPastHeader, ct);
                await using (var progress = TransferProgress.Start(context, "grant", input.CanSeek ? input.Length - input.Position : null))
                {
                    await progress.Reading(input).CopyToAsync(target.Stream, InputSource.CopyBufferBytes, ct);
                    progress.Complete();
                }
                await target.CommitAsync();
                return CliExitCodes.Success;
            }
            finally
            {
                foreach (var d in owned) d.Dispose();
            }
        });
        return command;
    }
}
