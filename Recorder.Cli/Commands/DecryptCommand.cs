using System.CommandLine;
using Recorder.Cli.IO;
using Recorder.Crypto;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder decrypt -i IDENTITY... [-o DEST] [--offset N] [--length N] SOURCE</c>.
/// KMS stanzas are tried with the caller's AWS credentials after the identity
/// files (so -i may be left out for a KMS-only file). A file DEST is written
/// owner-only under a temporary name and renamed only after the whole file (or
/// range) authenticated; stdout receives only authenticated chunks, but a damaged
/// file is only known where the damage is, after the chunks before it were written.
/// A whole file cut short (no final chunk: a segment whose worker died) is not a
/// failure but a partial result: the plaintext of its complete chunks is written and
/// committed, a warning says how much, and the exit status is
/// <see cref="CliExitCodes.Partial"/>. Random access to such a file still fails.
/// </summary>
public sealed class DecryptCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var identities = new Option<string[]>("--identity", "-i") { Description = "an age identity file (repeatable)", HelpName = "IDENTITY" };
        var output = new Option<string?>("--output", "-o") { Description = "write to DEST: a file, - or s3://bucket/key (default stdout)", HelpName = "DEST" };
        var offset = new Option<long?>("--offset") { Description = "first plaintext byte to decrypt (random access)", HelpName = "N" };
        var length = new Option<long?>("--length") { Description = "number of plaintext bytes to decrypt (random access)", HelpName = "N" };
        var source = new Argument<string>("SOURCE") { Description = "a file, - or s3://bucket/key" };
        var command = new Command("decrypt", "decrypt an age file, whole or a plaintext byte range") { identities, output, offset, length, source };
        command.SetAction(async (parse, ct) =>
        {
            var (from, count) = (parse.GetValue(offset), parse.GetValue(length));
            if (from < 0 || count < 0) throw CliException.Usage("--offset and --length must not be negative");
            var owned = new List<IDisposable>();
            try
            {
                var ids = KeyArguments.Identities(parse.GetValue(identities) ?? [], context, owned);
                await using var input = await InputSource.OpenAsync(parse.GetValue(source)!, context, ct);
                await using var target = await OutputTarget.OpenAsync(parse.GetValue(output), context, privateFile: true, ct);
                var options = new AgeDecryptOptions { LeaveOpen = true };
                AgeDecryptResult? whole = null;
                if (from is null && count is null && InputSource.RegularFileHandle(input) is { } file)
                {
                    // A regular file: read and opened on every core at once, released in order.
                    whole = await AgeDecryptor.DecryptAsync(file, target.Stream, ids, options with { AllowTruncated = true }, ct);
                }
                else if (from is null && count is null)
                {
                    await using var ahead = new ReadAheadStream(input);
                    whole = await AgeDecryptor.DecryptAsync(ahead, target.Stream, ids, options with { AllowTruncated = true }, ct);
                }
                else
                {
                    // Stdin is read as a stream even when the shell hands it a file.
                    if (!input.CanSeek || parse.GetValue(source) == "-")
                        throw CliException.Usage("--offset and --length need a seekable SOURCE", "give a file or s3://bucket/key, not stdin");
                    await using var plain = await AgeDecryptor.OpenRandomAccessAsync(input, ids, options, ct);
                    var start = from ?? 0;
                    if (start > plain.Length)
                        throw new CliException($"--offset {start} is past the end of the plaintext ({plain.Length} bytes)");
                    plain.Position = start;
                    await StreamCopy.CopyAsync(plain, target.Stream, Math.Min(count ?? long.MaxValue, plain.Length - start), ct);
                }
                await target.CommitAsync();
                if (whole is not { IsTruncated: true }) return CliExitCodes.Success;
                context.Output.Warning($"truncated after {whole.PlaintextLengthBytes} bytes of plaintext ({whole.ChunkCount} complete chunks); the rest of the file is missing");
                context.Output.Hint("a recording segment cut short when its worker died ends like this; the manifest marks it \"truncated\": true");
                return CliExitCodes.Partial;
            }
            finally
            {
                foreach (var d in owned) d.Dispose();
            }
        });
        return command;
    }
}
