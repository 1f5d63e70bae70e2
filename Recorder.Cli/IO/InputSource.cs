using Recorder.Cli.S3;
using Recorder.Storage;

namespace Recorder.Cli.IO;

/// <summary>Opens SOURCE: a local path (seekable), <c>-</c> (stdin) or <c>s3://bucket/key</c> (seekable, ranged GETs).</summary>
public static class InputSource
{
    public const int CopyBufferBytes = 4 * 1024 * 1024;

    /// <summary>
    /// How the CLI reads S3 objects: an S3 that cannot be reached when the object is first asked for (a wrong
    /// AWS_ENDPOINT_URL_S3, a server down) is reported after 10 s of retries, not the 2-minute outage window that
    /// protects a read under way.
    /// </summary>
    public static SeekableReadOptions ReadOptions { get; } = new() { OpenOutageWindow = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// Reading an object front to back (a whole decrypt, maybe into a player): 4 MiB ranged GETs, 5 in
    /// flight (20 MiB), handed on in order as each arrives.
    /// </summary>
    public static SeekableReadOptions StreamingReadOptions { get; } = ReadOptions with { BlockSizeBytes = 4 * 1024 * 1024, ReadAheadBlocks = 4 };

    public static async Task<System.IO.Stream> OpenAsync(string source, CliContext context, CancellationToken ct, SeekableReadOptions? s3Options = null)
    {
        if (source == "-") return context.Console.StandardInput;
        if (S3Uri.IsS3(source))
        {
            var location = S3Uri.Parse(source);
            return await S3SeekableReadStream.OpenAsync(context.Services.Store, location.Bucket, location.Key, s3Options ?? ReadOptions, ct);
        }
        if (Directory.Exists(source)) throw new CliException($"{source} is a directory");
        if (!File.Exists(source)) throw new CliException($"no such file: {source}");
        return new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>
    /// The handle of SOURCE when it is a regular local file (positional reads from
    /// several threads work, and its length is known); null for stdin, S3, FIFOs and devices.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle? RegularFileHandle(System.IO.Stream input) =>
        input is FileStream file && !UnixFileKind.IsSpecialFile(file.Name) ? file.SafeFileHandle : null;
}
