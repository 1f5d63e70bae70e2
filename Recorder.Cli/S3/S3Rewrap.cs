using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Recorder.Crypto;

namespace Recorder.Cli.S3;

/// <summary>
/// Writes a re-wrapped age object as a multipart upload in which only the first
/// part travels through this machine: part 1 is the new header followed by the
/// first <see cref="FirstPartPayloadBytes"/> of the old payload (S3's 5 MiB minimum
/// for every part but the last); the rest of the payload is copied inside the
/// store with UploadPartCopy, pinned to the source's ETag.
/// </summary>
public static class S3Rewrap
{
    public const int FirstPartPayloadBytes = 5 * 1024 * 1024;
    public const long CopyPartBytes = 1024L * 1024 * 1024;

    public sealed record Outcome(bool UsedPartCopy, long BytesTransferred, long BytesCopiedInStore);

    /// <summary>
    /// Builds <paramref name="destination"/>; null when the object is too small for a
    /// multipart copy or the store does not implement UploadPartCopy (the caller then streams).
    /// </summary>
    public static async Task<Outcome?> TryCopyAsync(IAmazonS3 s3, S3Uri source, S3Uri destination,
        AgeRewrapResult rewrap, CancellationToken ct)
    {
        var head = await s3.GetObjectMetadataAsync(source.Bucket, source.Key, ct);
        var copyFrom = rewrap.PayloadOffset + (long)FirstPartPayloadBytes;
        if (head.ContentLength <= copyFrom) return null;

        var firstPart = new byte[rewrap.Header.Length + FirstPartPayloadBytes];
        rewrap.Header.CopyTo(firstPart);
        using (var get = await s3.GetObjectAsync(new GetObjectRequest
               {
                   BucketName = source.Bucket, Key = source.Key, EtagToMatch = head.ETag,
                   ByteRange = new ByteRange(rewrap.PayloadOffset, copyFrom - 1),
               }, ct))
        {
            await get.ResponseStream.ReadExactlyAsync(firstPart.AsMemory(rewrap.Header.Length), ct);
        }

        var upload = await s3.InitiateMultipartUploadAsync(destination.Bucket, destination.Key, ct);
        try
        {
            var etags = new List<PartETag>();
            var part = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = destination.Bucket, Key = destination.Key, UploadId = upload.UploadId, PartNumber = 1,
                InputStream = new MemoryStream(firstPart),
            }, ct);
            etags.Add(new PartETag(1, part.ETag));
            for (var first = copyFrom; first < head.ContentLength; first += CopyPartBytes)
            {
                var copy = await s3.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = source.Bucket, SourceKey = source.Key, ETagToMatch = [head.ETag],
                    DestinationBucket = destination.Bucket, DestinationKey = destination.Key, UploadId = upload.UploadId,
                    PartNumber = etags.Count + 1, FirstByte = first, LastByte = Math.Min(first + CopyPartBytes, head.ContentLength) - 1,
                }, ct);
                etags.Add(new PartETag(etags.Count + 1, copy.ETag));
            }
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = destination.Bucket, Key = destination.Key, UploadId = upload.UploadId, PartETags = etags,
            }, ct);
            return new Outcome(true, firstPart.Length, head.ContentLength - copyFrom);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotImplemented || e.ErrorCode == "NotImplemented")
        {
            await s3.AbortMultipartUploadAsync(destination.Bucket, destination.Key, upload.UploadId, CancellationToken.None);
            return null;
        }
        catch
        {
            await s3.AbortMultipartUploadAsync(destination.Bucket, destination.Key, upload.UploadId, CancellationToken.None);
            throw;
        }
    }
}
