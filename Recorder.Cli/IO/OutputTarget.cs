using Recorder.Cli.S3;

namespace Recorder.Cli.IO;

/// <summary>
/// DEST: a local path, <c>-</c>/absent (stdout) or <c>s3://bucket/key</c>. A local
/// file is written under a temporary name in the destination folder and renamed
/// over DEST only by <see cref="CommitAsync"/>; an S3 object appears only when its
/// upload completes. Disposing an uncommitted target deletes the temporary file
/// or aborts the upload, so a failed run leaves no output behind. Stdout cannot
/// be taken back: what was written before a failure stays written.
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

    /// <param name="privateFile">Create a local file readable by its owner only (plaintext, keys).</param>
    public static OutputTarget Open(string? destination, CliContext context, bool privateFile)
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
            var upload = new S3UploadStream(context.Services.S3, S3Uri.Parse(destination));
            return new OutputTarget(upload, () => upload.CompleteAsync(CancellationToken.None), upload.DisposeAsync);
        }
        return OpenFile(Path.GetFullPath(destination), privateFile);
    }

    private static OutputTarget OpenFile(string path, bool privateFile)
    {
        if (Directory.Exists(path)) throw new CliException($"{path} is a directory");
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
