using Recorder.Cli.S3;
using Recorder.Storage;

namespace Recorder.Cli.IO;

/// <summary>
/// DEST: a local path, <c>-</c>/absent (stdout) or <c>s3://bucket/key</c>. A local
/// file is written under a temporary name in the destination folder and renamed
/// over DEST only by <see cref="CommitAsync"/>; an S3 object appears only when its
/// upload completes. Disposing an uncommitted target deletes the temporary file
/// or aborts the upload, so a failed run leaves no output behind. Stdout, devices
/// and FIFOs are written in place and cannot be taken back: what was written
/// before a failure stays written.
/// </summary>
public sealed class OutputTarget : IAsyncDisposable
{
    private readonly Func<Task> _commit;
    private readonly Func<ValueTask> _discard;
    private bool _committed;

    private OutputTarget(System.IO.Stream stream, Func<Task> commit, Func<ValueTask> discard)
    {
        Stream = stream;
        _commit = commit;
        _discard = discard;
    }

    public System.IO.Stream Stream { get; }

    /// <summary>
    /// Upload settings for CLI outputs of unknown length: 5 MiB parts for up to
    /// about 48 GiB, two in flight, 24 MiB of buffer, retries for 2 minutes.
    /// </summary>
    internal static MultipartUploadOptions UploadOptions { get; } = new()
    {
        MemoryBudgetBytes = 24L * 1024 * 1024,
        MaxPartsInFlight = 2,
        ExpectedLengthBytes = 1L * 1024 * 1024 * 1024,
        MaxRecordingLengthBytes = 48L * 1024 * 1024 * 1024,
        OutageWindow = TimeSpan.FromMinutes(2),
    };

    /// <param name="privateFile">Create a local file readable by its owner only (plaintext, keys).</param>
    public static async Task<OutputTarget> OpenAsync(string? destination, CliContext context, bool privateFile, CancellationToken cancellationToken = default)
    {
        if (destination is null or "-")
        {
            if (context.Console.OutputIsTerminal)
                throw CliException.Usage("refusing to write binary output to a terminal", "use -o FILE or redirect stdout");
            var stdout = context.Console.StandardOutput;
            return new OutputTarget(stdout, () => stdout.FlushAsync(), () => ValueTask.CompletedTask);
        }
        if (S3Uri.IsS3(destination))
        {
            var location = S3Uri.Parse(destination);
            var sink = await MultipartUploadSink.StartAsync(context.Services.Store, new ObjectDestination(location.Bucket, location.Key),
                UploadOptions, cancellationToken: cancellationToken);
            return new OutputTarget(sink.Stream, () => sink.CompleteAsync(CancellationToken.None),
                async () =>
                {
                    await sink.AbortAsync(CancellationToken.None);
                    await sink.DisposeAsync();
                });
        }
        return OpenFile(Path.GetFullPath(destination), privateFile);
    }

    private static OutputTarget OpenFile(string path, bool privateFile)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory");
        if (UnixFileKind.IsSpecialFile(path)) return OpenSpecialFile(path);
        // Through a symlink, the file it points to is replaced, not the link.
        if (new FileInfo(path).LinkTarget is not null && File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target)
            path = target.FullName;
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder)) throw new CliException($"no such directory: {folder}");
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1,
            Options = FileOptions.Asynchronous,
        };
        if (privateFile && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStream(temp, options);
        return new OutputTarget(file,
            async () =>
            {
                await file.FlushAsync();
                await file.DisposeAsync();
                File.Move(temp, path, overwrite: true);
            },
            async () =>
            {
                await file.DisposeAsync();
                File.Delete(temp);
            });
    }

    /// <summary>
    /// A device, FIFO or socket (/dev/null, /dev/stdout, a named pipe) is written in
    /// place: renaming a temporary file over it would replace the device itself.
    /// Like stdout, what was written before a failure stays written.
    /// </summary>
    private static OutputTarget OpenSpecialFile(string path)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 1,
        });
        return new OutputTarget(file,
            async () =>
            {
                await file.FlushAsync();
                await file.DisposeAsync();
            },
            () => file.DisposeAsync());
    }

    public async Task CommitAsync()
    {
        await _commit();
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed) await _discard();
        _committed = true;
    }
}
