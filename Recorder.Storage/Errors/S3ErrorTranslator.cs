using System.Net.Sockets;
using Amazon.Runtime;

namespace Recorder.Storage;

/// <summary>
/// Sorts whatever the AWS SDK threw into the storage error vocabulary. The
/// rule: the destination's fault (credentials, permissions, bucket, KMS key,
/// wrong region) fails fast; whatever may heal by itself (5xx, throttling,
/// timeouts, resets, refused connections, DNS) is transient; the rest is a
/// plain <see cref="StorageException"/>.
/// </summary>
internal static class S3ErrorTranslator
{
    private static readonly Dictionary<string, string> DestinationCauses = new(StringComparer.Ordinal)
    {
        ["AccessDenied"] = "access denied: the credentials lack permission for this bucket/key, or a bucket policy denies it",
        ["AllAccessDisabled"] = "all access to this bucket is disabled",
        ["NoSuchBucket"] = "the bucket does not exist",
        ["InvalidAccessKeyId"] = "the access key id is unknown to the server",
        ["SignatureDoesNotMatch"] = "the secret access key does not match the access key id",
        ["ExpiredToken"] = "the session token has expired",
        ["InvalidToken"] = "the session token is invalid",
        ["AccountProblem"] = "the account cannot be used",
        ["InvalidBucketName"] = "the bucket name is invalid",
        ["PermanentRedirect"] = "the bucket is in another region or needs another endpoint",
        ["AuthorizationHeaderMalformed"] = "the request was signed for the wrong region",
        ["QuotaExceeded"] = "the account's or bucket's quota is exceeded",
        ["XAmzContentSHA256Mismatch"] =
            "the server rejected the payload checksum; S3-compatible servers such as Ceph need AWS_REQUEST_CHECKSUM_CALCULATION=when_required",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "RequestTimeTooSkewed", "Throttling",
        "ThrottlingException", "RequestLimitExceeded", "BadDigest", "IncompleteBody", "OperationAborted",
    };

    public static Exception Translate(Exception exception, string operation, string bucket, string? key, CancellationToken cancellationToken)
    {
        if (exception is StorageException) return exception;
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested) return exception;
        var where = key is null ? $"s3://{bucket}" : $"s3://{bucket}/{key}";

        if (exception is AmazonServiceException { StatusCode: var status } service && (int)status != 0)
            return FromServiceError(service, (int)status, operation, where, bucket, key);

        if (IsNetworkFailure(exception))
        {
            return new StorageTransientException($"{where}: {operation} failed: {Describe(exception)}", exception)
            {
                Bucket = bucket, Key = key,
            };
        }
        return new StorageException($"{where}: {operation} failed: {exception.Message}", exception) { Bucket = bucket, Key = key };
    }

    private static StorageException FromServiceError(
        AmazonServiceException service, int status, string operation, string where, string bucket, string? key)
    {
        var code = string.IsNullOrEmpty(service.ErrorCode) ? $"HTTP {status}" : service.ErrorCode;
        string Message(string cause) => $"{where}: {operation} failed: {code} ({status}): {cause}";

        // Ceph reports a refused KMS key as InvalidAccessKeyId with a message naming the key; AWS as KMS.* codes.
        var kms = code.StartsWith("KMS.", StringComparison.Ordinal)
                  || service.Message?.Contains("kms", StringComparison.OrdinalIgnoreCase) == true;
        if (kms || DestinationCauses.ContainsKey(code) || status is 401 or 403)
        {
            var cause = kms
                ? "the KMS key was refused (missing, disabled, or not usable by these credentials)"
                : DestinationCauses.GetValueOrDefault(code, "the server refused the request");
            if (!string.IsNullOrEmpty(service.Message)) cause += $" (server: {service.Message})";
            return new StorageDestinationException(Message(cause), service)
            {
                Bucket = bucket, Key = key, ErrorCode = code, StatusCode = status,
            };
        }
        if (code == "NoSuchUpload")
        {
            return new MultipartUploadNotFoundException(Message("the multipart upload does not exist (completed, aborted or expired)"), service)
            {
                Bucket = bucket, Key = key, ErrorCode = code, StatusCode = status,
            };
        }
        if (status >= 500 || status == 429 || TransientCodes.Contains(code))
        {
            return new StorageTransientException(Message(string.IsNullOrEmpty(service.Message) ? "server error" : service.Message), service)
            {
                Bucket = bucket, Key = key, ErrorCode = code, StatusCode = status,
            };
        }
        return new StorageException(Message(string.IsNullOrEmpty(service.Message) ? "refused" : service.Message), service)
        {
            Bucket = bucket, Key = key, ErrorCode = code, StatusCode = status,
        };
    }

    /// <summary>Resets, refusals, DNS failures, timeouts: anything below HTTP, wherever the SDK nested it.</summary>
    internal static bool IsNetworkFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException)
                return true;
        }
        return false;
    }

    private static string Describe(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket) return $"network error ({socket.SocketErrorCode}): {socket.Message}";
            if (e is OperationCanceledException or TimeoutException) return "the request timed out";
        }
        return exception.Message;
    }
}
