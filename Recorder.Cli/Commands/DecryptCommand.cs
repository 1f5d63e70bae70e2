using System.CommandLine;
using Recorder.Cli.IO;
using Recorder.Cli.Progress;
using Recorder.Cli.Ranges;
using Recorder.Crypto;
using Recorder.Pipeline.Text;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder decrypt -i IDENTITY... [-o DEST] [--offset N] [--length N | --from TIME --to TIME] [SOURCE]</c>
/// (stdin when SOURCE is omitted, like age; an s3:// SOURCE is read by parallel ranged GETs, released in order).
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
        var fromTime = new Option<string?>("--from") { Description = $"with a recording's manifest or segment: start of the stretch to write as MP4 ({RecordingTimeText.Examples}; default the start)", HelpName = "TIME" };
        var toTime = new Option<string?>("--to") { Description = "end of that stretch (recording time; default the end)", HelpName = "TIME" };
        var source = new Argument<string>("SOURCE")
        {
            Description = "a file, - or s3://bucket/key (default: stdin); with --from/--to a manifest.json or a segment",
            Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "-",
        };
        var command = new Command("decrypt", "decrypt an age file, whole, a plaintext byte range, or a time range of a recording")
        {
            identities, output, offset, length, fromTime, toTime, source,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (from, count) = (parse.GetValue(offset), parse.GetValue(length));
            if (from < 0 || count < 0) throw CliException.Usage("--offset and --length must not be negative");
            var range = TimeRangeArguments.Parse(parse.GetValue(fromTime), parse.GetValue(toTime), byteRange: from is not null || count is not null);
            var owned = new List<IDisposable>();
            try
            {
                var ids = KeyArguments.Identities(parse.GetValue(identities) ?? [], context, owned);
                if (range is not null) return await TimeRangeArguments.RunAsync(range, parse.GetValue(source)!, ids, parse.GetValue(output), context, ct);
                await using var input = await InputSource.OpenAsync(parse.GetValue(source)!, context, ct,
                    from is null && count is null ? InputSource.StreamingReadOptions : null);
                await using var target = await OutputTarget.OpenAsync(parse.GetValue(output), context, privateFile: true, ct);
                var options = new AgeDecryptOptions { LeaveOpen = true };
                AgeDecryptResult? whole = null;
                if (from is null && count is null && InputSource.RegularFileHandle(input) is { } file)
                {
                    // A regular file: read and opened on every core at once, released in order.
                    await using var progress = TransferProgress.Start(context, "decrypt", RandomAccess.GetLength(file));
                    whole = await AgeDecryptor.DecryptAsync(file, progress.Writing(target.Stream), ids, options with { AllowTruncated = true }, ct);
                    progress.Complete();
                }
                else if (from is null && count is null)
                {
                    // Counted as read (ciphertext against the object's size); stdout gets the plaintext untouched.
                    await using var progress = TransferProgress.Start(context, "decrypt", input.CanSeek ? input.Length : null);
                    await using var ahead = new ReadAheadStream(progress.Reading(input));
                    whole = await AgeDecryptor.DecryptAsync(ahead, target.Stream, ids, options with { AllowTruncated = true }, ct);
                    progress.Complete();
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
                    var total = Math.Min(count ?? long.MaxValue, plain.Length - start);
                    await using var progress = TransferProgress.Start(context, "decrypt", total);
                    await StreamCopy.CopyAsync(plain, progress.Writing(target.Stream), total, ct);
                    progress.Complete();
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
