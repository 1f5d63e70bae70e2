using Amazon.S3;
using Amazon.S3.Model;

namespace Recorder.Cli.S3;

/// <summary>
/// Write-only stream to one S3 object: one PutObject when everything fits in a
/// part, otherwise a multipart upload of <see cref="PartSizeBytes"/> parts held
/// in memory one at a time. Nothing appears under the key until
/// <see cref="CompleteAsync"/>; disposing without it aborts the upload.
/// (To be replaced by Recorder.Storage's multipart sink once it exists.)
/// </summary>
public sealed class S3UploadStream(IAmazonS3 s3, S3Uri location) : System.IO.Stream
{
    public const int PartSizeBytes = 8 * 1024 * 1024;

    private readonly byte[] _part = new byte[PartSizeBytes];
    private readonly List<PartETag> _etags = [];
    private int _partCount;
    private string? _uploadId;
    private bool _completed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_completed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_partCount == _part.Length) await UploadPartAsync(cancellationToken);
            var n = Math.Min(buffer.Length, _part.Length - _partCount);
            buffer[..n].CopyTo(_part.AsMemory(_partCount));
            _partCount += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_uploadId is null)
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = location.Bucket, Key = location.Key, InputStream = new MemoryStream(_part, 0, _partCount),
            }, ct);
        }
        else
        {
            if (_partCount > 0) await UploadPartAsync(ct);
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = location.Bucket, Key = location.Key, UploadId = _uploadId, PartETags = _etags,
            }, ct);
        }
        _completed = true;
    }

    private async Task UploadPartAsync(CancellationToken ct)
    {
        _uploadId ??= (await s3.InitiateMultipartUploadAsync(location.Bucket, location.Key, ct)).UploadId;
        var number = _etags.Count + 1;
        var response = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = location.Bucket, Key = location.Key, UploadId = _uploadId, PartNumber = number,
            InputStream = new MemoryStream(_part, 0, _partCount),
        }, ct);
        _etags.Add(new PartETag(number, response.ETag));
        _partCount = 0;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_completed && _uploadId is not null)
            await s3.AbortMultipartUploadAsync(location.Bucket, location.Key, _uploadId);
        _completed = true;
        await base.DisposeAsync();
    }
}
