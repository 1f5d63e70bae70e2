using Microsoft.Win32.SafeHandles;
using Recorder.Cli.S3;
using Recorder.Storage;

namespace Recorder.Cli.Ranges;

/// <summary>
/// An object read by byte ranges: an S3 object (ranged GETs, If-Match) or a local file
/// (positional reads). Counts the bytes it fetched, so a time-range decrypt can say what it cost.
/// </summary>
internal abstract class RangedObject : IDisposable
{
    public abstract string Location { get; }
    public abstract long Length { get; }
    public abstract long BytesFetched { get; }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; safe to call concurrently.</summary>
    public abstract Task ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken ct);

    /// <summary>Null when there is no such object or file.</summary>
    public static async Task<RangedObject?> TryOpenAsync(string location, CliContext context, CancellationToken ct)
    {
        if (S3Uri.IsS3(location))
        {
            var uri = S3Uri.Parse(location);
            try
            {
                return new S3Object(await ObjectRangeReader.OpenAsync(context.Services.Store, uri.Bucket, uri.Key, IO.InputSource.ReadOptions, ct));
            }
            catch (StorageException e) when (e.ErrorCode == "NoSuchKey")
            {
                return null;
            }
        }
        if (Directory.Exists(location)) throw new CliException($"{location} is a directory");
        if (!File.Exists(location)) return null;
        return new LocalFile(location, File.OpenHandle(location, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous));
    }

    /// <summary>The whole object (a manifest), refused above <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]> ReadAllAsync(long maxBytes, CancellationToken ct)
    {
        if (Length > maxBytes) throw new CliException($"{Location} is {Length} bytes, too large for a manifest");
        var all = new byte[Length];
        await ReadExactlyAsync(0, all, ct);
        return all;
    }

    /// <summary>A sequential stream from offset 0 that fetches only what is read (an age header and its nonce).</summary>
    public System.IO.Stream OpenPrefix() => new PrefixStream(this);

    public virtual void Dispose()
    {
    }

    private sealed class S3Object(ObjectRangeReader reader) : RangedObject
    {
        public override string Location => $"s3://{reader.Object.Bucket}/{reader.Object.Key}";
        public override long Length => reader.Length;
        public override long BytesFetched => reader.BytesFetched;
        public override Task ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken ct) => reader.ReadExactlyAsync(offset, destination, ct);
    }

    private sealed class LocalFile(string path, SafeFileHandle handle) : RangedObject
    {
        private long _fetched;

        public override string Location => path;
        public override long Length => RandomAccess.GetLength(handle);
        public override long BytesFetched => Interlocked.Read(ref _fetched);

        public override async Task ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken ct)
        {
            var done = 0;
            while (done < destination.Length)
            {
                var n = await RandomAccess.ReadAsync(handle, destination[done..], offset + done, ct);
                if (n == 0) throw new IOException($"{path} shrank while it was being read");
                done += n;
            }
            Interlocked.Add(ref _fetched, done);
        }

        public override void Dispose() => handle.Dispose();
    }

    /// <summary>Reads from offset 0 on, one request per read call, no further than asked.</summary>
    private sealed class PrefixStream(RangedObject source) : System.IO.Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = (int)Math.Min(buffer.Length, source.Length - _position);
            if (n <= 0) return 0;
            await source.ReadExactlyAsync(_position, buffer[..n], cancellationToken);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
