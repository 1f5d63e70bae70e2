using System.CommandLine;
using Recorder.Cli.IO;
using Recorder.Cli.Progress;
using Recorder.Crypto;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder encrypt -r RECIPIENT... [-o DEST] [SOURCE]</c>: any bytes to an age
/// v1 file. KMS recipients (<c>kms:ARN</c>) are wrapped with KMS Encrypt under an
/// encryption context naming this CLI and a fresh file id.
/// </summary>
public sealed class EncryptCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var recipients = new Option<string[]>("--recipient", "-r")
        {
            Description = "encrypt to RECIPIENT: age1… or kms:KEY-ARN (repeatable)", HelpName = "RECIPIENT", Required = true,
        };
        var output = new Option<string?>("--output", "-o") { Description = "write to DEST: a file, - or s3://bucket/key (default stdout)", HelpName = "DEST" };
        var source = new Argument<string>("SOURCE") { Description = "a file, - or s3://bucket/key (default stdin)", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "-" };
        var command = new Command("encrypt", "encrypt to an age file") { recipients, output, source };
        command.SetAction(async (parse, ct) =>
        {
            var list = KeyArguments.Recipients(parse.GetValue(recipients) ?? [], context);
            var options = new AgeEncryptOptions
            {
                LeaveOpen = true,
                KmsEncryptionContext = KeyArguments.CliKmsContext("encrypt"),
            };
            await using var input = await InputSource.OpenAsync(parse.GetValue(source)!, context, ct);
            await using var target = await OutputTarget.OpenAsync(parse.GetValue(output), context, privateFile: false, ct);
            if (InputSource.RegularFileHandle(input) is { } file)
            {
                // A regular file: read and sealed on every core at once; progress counts the ciphertext written.
                var length = RandomAccess.GetLength(file);
                await using (var written = TransferProgress.Start(context, "encrypt", length + 16 * Math.Max(1, (length + 65535) / 65536)))
                {
                    await AgeEncryptor.EncryptFileAsync(file, written.Writing(target.Stream), list, options, ct);
                    written.Complete();
                }
                await target.CommitAsync();
                return CliExitCodes.Success;
            }
            await using var progress = TransferProgress.Start(context, "encrypt", input.CanSeek ? input.Length : null);
            await using (var age = await AgeEncryptor.CreateAsync(target.Stream, list, options, ct))
            {
                try
                {
                    await using var ahead = new ReadAheadStream(progress.Reading(input));
                    await ahead.CopyToAsync(age, InputSource.CopyBufferBytes, ct);
                    await age.FinishAsync(ct);
                    progress.Complete();
                }
                catch
                {
                    age.Abort();
                    throw;
                }
            }
            await target.CommitAsync();
            return CliExitCodes.Success;
        });
        return command;
    }
}
