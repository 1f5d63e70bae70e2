using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Recorder.Crypto;
using Recorder.Storage;

namespace Recorder.Cli;

/// <summary>What the CLI says about a failure: exit code, message, further lines, and a hint.</summary>
public sealed record CliFailure(int Code, string Message, string? Hint, IReadOnlyList<string> MoreMessages);

/// <summary>
/// The CLI's one error vocabulary: every exception a verb can end with, turned into
/// what failed and what to do, never key material and never a bare exception type.
/// What no rule covers is reported as "VERB failed: message" with a hint to rerun
/// with <see cref="DebugVariable"/>=1, which adds the exception's details.
/// </summary>
public static partial class CliErrors
{
    /// <summary>Set to 1 for the stack trace of a failure on stderr.</summary>
    public const string DebugVariable = "RECORDER_DEBUG";

    internal const string CredentialVariables =
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE";

    public static CliFailure Describe(Exception e, string verb, Func<string, string?> environment)
    {
        var endpoint = environment("AWS_ENDPOINT_URL_S3") is { Length: > 0 } s3 ? s3 : environment("AWS_ENDPOINT_URL") is { Length: > 0 } any ? any : null;
        var endpointText = endpoint ?? "the AWS default for AWS_REGION";
        return e switch
        {
            CliException c => new(c.ExitCode, c.Message, c.Hint, c.MoreMessages),
            _ when IsMissingCredentials(e) => Fail($"{Where(e)}no AWS credentials were found", CredentialVariables),
            StorageOutageException o when IsConnectionRefused(o) => Fail(
                $"cannot connect to S3 at {endpointText}: connection refused ({o.FailedAttempts} attempts in {o.OutageDuration.TotalSeconds:0} s)",
                "check AWS_ENDPOINT_URL_S3 and that the S3 server is running"),
            StorageOutageException o => Fail(o.Message, $"S3 at {endpointText} could not be reached for longer than the retry window; check AWS_ENDPOINT_URL_S3 and the network"),
            StorageException s => Storage(s, endpointText),
            Pipeline.Encoder.FfmpegException f => Fail(f.Message, "is ffmpeg installed? (localstack/install.sh ffmpeg)"),
            Pipeline.Meetings.Janus.JanusApiException j => Fail($"janus: {j.Message}", "check the janus:// URL, the room and its pin or secret"),
            AgeNoIdentityMatchException n => WrongKey(n),
            AgeDecryptionException { Kind: AgeFailureKind.Header } d => Fail(d.Message,
                "is it an age file? it may be cut short inside its header, or another format ('recorder inspect' shows what it can read)"),
            AgeDecryptionException d => Fail(d.Message, null),
            FileNotFoundException f => Fail($"no such file: {f.FileName}", null),
            DirectoryNotFoundException d => Fail(QuotedPath().Match(d.Message) is { Success: true } m ? $"no such directory for {m.Groups[1].Value}" : "no such directory for a file given",
                "create the folder first, or give a path in one that exists"),
            UnauthorizedAccessException => Fail("permission denied on a file given", null),
            AmazonServiceException a => Fail($"{a.ErrorCode ?? "request failed"}: {a.Message}",
                "check the AWS_* variables and that the credentials may perform the operation"),
            AmazonClientException a => Fail(a.Message, "check AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_KMS and the network"),
            OperationCanceledException => Fail("cancelled", null),
            IOException io => Fail(io.Message, null),
            _ => Fail($"{verb} failed: {e.Message}",
                $"this is not an error recorder knows; rerun with {DebugVariable}=1 for the details, and report them if it looks like a bug"),
        };
    }

    private static CliFailure Fail(string message, string? hint) => new(CliExitCodes.Failure, message, hint, []);

    private static CliFailure WrongKey(AgeNoIdentityMatchException n)
    {
        var more = new List<string>();
        if (n.FileRecipients.Count > 0) more.Add($"the file is encrypted for: {string.Join(", ", n.FileRecipients)}");
        if (n.IdentityFingerprints.Count > 0) more.Add($"the identities given are: {string.Join(", ", n.IdentityFingerprints)}");
        return new(CliExitCodes.Failure, n.Message, "decrypt with an identity of one of the file's recipients ('recorder inspect' lists them)", more);
    }

    private static CliFailure Storage(StorageException s, string endpoint)
    {
        var message = ServerNoise().Replace(s.Message, "");
        var hint = (s.ErrorCode, s.StatusCode) switch
        {
            ("NoSuchBucket", _) => $"check the bucket name, and that AWS_ENDPOINT_URL_S3 ({endpoint}) is the server that has it",
            ("NoSuchKey", _) or (null, 404) => "check the key: 'aws s3 ls s3://BUCKET/PREFIX/' lists what is there",
            ("InvalidAccessKeyId", _) => $"AWS_ACCESS_KEY_ID is not known to {endpoint}; {CredentialVariables}",
            ("SignatureDoesNotMatch", _) => "AWS_SECRET_ACCESS_KEY does not belong to AWS_ACCESS_KEY_ID",
            ("AccessDenied", _) => "these credentials may not do this here, or a bucket policy denies it",
            (_, 403) => $"check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they may access this bucket ({endpoint} gave no reason)",
            _ when s is StorageDestinationException => "check that the bucket exists and that these credentials may use it (AWS_* variables)",
            _ => null,
        };
        return Fail(message, hint);
    }

    private static string Where(Exception e) =>
        e is StorageException { Bucket: { } bucket } s ? (s.Key is null ? $"s3://{bucket}: " : $"s3://{bucket}/{s.Key}: ") : "";

    private static bool IsMissingCredentials(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AmazonClientException
                && (inner.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal)
                    || inner.Message.Contains("Unable to get IAM security credentials", StringComparison.Ordinal)))
                return true;
        }
        return false;
    }

    private static bool IsConnectionRefused(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
        return false;
    }

    /// <summary>The path in .NET's "Could not find a part of the path '…'" messages.</summary>
    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedPath();

    /// <summary>The SDK's text for an error answer without a body (a HEAD): it says nothing the status does not.</summary>
    [GeneratedRegex(@" \(server: Error making request with Error Code \w+ and Http Status Code \w+\. No further error information was returned by the service\.\)")]
    private static partial Regex ServerNoise();
}
