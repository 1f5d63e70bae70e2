using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Recorder.Storage;

namespace Recorder.Tests.Storage;

/// <summary>Which SDK failures are the destination's fault (fail fast) and which are transient (retried).</summary>
public sealed class ErrorClassificationTests
{
    private static Exception Translate(Exception e) => S3ErrorTranslator.Translate(e, "UploadPart", "bucket", "rec/seg", CancellationToken.None);

    private static AmazonS3Exception S3(string code, HttpStatusCode status, string message = "") =>
        new(message, ErrorType.Sender, code, "req", status);

    [Theory]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, "access denied")]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, "the bucket does not exist")]
    [InlineData("InvalidAccessKeyId", HttpStatusCode.Forbidden, "access key id is unknown")]
    [InlineData("KMS.DisabledException", HttpStatusCode.BadRequest, "the KMS key was refused")]
    [InlineData("XAmzContentSHA256Mismatch", HttpStatusCode.BadRequest, "when_required")]
    public void Destination_faults_name_the_object_and_the_cause(string code, HttpStatusCode status, string cause)
    {
        var e = Assert.IsType<StorageDestinationException>(Translate(S3(code, status)));
        Assert.StartsWith("s3://bucket/rec/seg: UploadPart failed: " + code, e.Message);
        Assert.Contains(cause, e.Message);
        Assert.Equal(code, e.ErrorCode);
    }

    [Theory]
    [InlineData("SlowDown", HttpStatusCode.ServiceUnavailable)]
    [InlineData("InternalError", HttpStatusCode.InternalServerError)]
    [InlineData("", HttpStatusCode.BadGateway)]
    [InlineData("RequestTimeout", HttpStatusCode.BadRequest)]
    [InlineData("BadDigest", HttpStatusCode.BadRequest)]
    public void Server_trouble_is_transient(string code, HttpStatusCode status) =>
        Assert.IsType<StorageTransientException>(Translate(S3(code, status)));

    [Fact]
    public void Network_failures_are_transient()
    {
        Assert.IsType<StorageTransientException>(Translate(new HttpRequestException("reset", new IOException("x", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.IsType<StorageTransientException>(Translate(new HttpRequestException("dns", new SocketException((int)SocketError.TryAgain))));
        Assert.IsType<StorageTransientException>(Translate(new TaskCanceledException("timeout")));
    }

    [Fact]
    public void A_gone_upload_and_a_protocol_error_are_neither()
    {
        Assert.IsType<MultipartUploadNotFoundException>(Translate(S3("NoSuchUpload", HttpStatusCode.NotFound)));
        var e = Translate(S3("InvalidPart", HttpStatusCode.BadRequest));
        Assert.Equal(typeof(StorageException), e.GetType());
    }

    [Fact]
    public void Caller_cancellation_passes_through_untouched()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var cancelled = new OperationCanceledException(cts.Token);
        Assert.Same(cancelled, S3ErrorTranslator.Translate(cancelled, "UploadPart", "b", "k", cts.Token));
    }

    [Fact]
    public void Connection_options_read_AWS_MAX_ATTEMPTS_and_never_print_the_secret()
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000", ["AWS_MAX_ATTEMPTS"] = "3",
            ["AWS_ACCESS_KEY_ID"] = "AKID", ["AWS_SECRET_ACCESS_KEY"] = "s3cr3t-value",
        };
        var options = S3ConnectionOptions.FromEnvironment(env.GetValueOrDefault);
        Assert.Equal(2, options.MaxErrorRetries);
        Assert.True(options.ForcePathStyle && options.ChecksumsWhenRequiredOnly);
        Assert.DoesNotContain("s3cr3t", options.ToString());
        Assert.Null(S3ConnectionOptions.FromEnvironment(_ => null).MaxErrorRetries);
    }
}
