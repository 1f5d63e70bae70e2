using Amazon.S3;
using Amazon.S3.Model;

namespace Recorder.Cli.S3;

/// <summary>
/// A seekable read-only view of one S3 object: a ranged GET from the current
/// position, kept open while reads are sequential and reopened after a seek.
/// (To be replaced by Recorder.Storage's ranged reader once it exists.)
/// </summary>
public sealed class S3ReadStream : System.IO.Stream
{
    private readonly IAmazonS3 _s3;
    private readonly S3Uri _location;
    private GetObjectResponse? _response;
    private long _responsePosition = -1;
    private long _position;

    private S3ReadStream(IAmazonS3 s3, S3Uri location, long length)
    {
        _s3 = s3;
        _location = location;
        Length = length;
    }

    public static async Task<S3ReadStream> OpenAsync(IAmazonS3 s3, S3Uri location, CancellationToken ct)
    {
        var head = await s3.GetObjectMetadataAsync(location.Bucket, location.Key, ct);
        return new S3ReadStream(s3, location, head.ContentLength);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= Length) return 0;
        if (_response is null || _responsePosition != _position)
        {
            _response?.Dispose();
            _response = await _s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _location.Bucket, Key = _location.Key, ByteRange = new ByteRange(_position, Length - 1),
            }, cancellationToken);
            _responsePosition = _position;
        }
        var n = await _response.ResponseStream.ReadAsync(buffer, cancellationToken);
        if (n == 0) throw new IOException($"{_location} ended early at byte {_position} of {Length}");
        _position += n;
        _responsePosition = _position;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _response?.Dispose();
        base.Dispose(disposing);
    }
}
