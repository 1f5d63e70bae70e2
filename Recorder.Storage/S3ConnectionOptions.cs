using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Recorder.Storage;

/// <summary>
/// How to reach S3. Read from the standard AWS environment variables; any
/// endpoint given means an S3-compatible server (path-style addressing, and
/// checksums only where required, which Ceph Pacific needs). Without an
/// endpoint the SDK's defaults for real AWS apply.
/// </summary>
public sealed record S3ConnectionOptions
{
    public string? ServiceUrl { get; init; }
    public string Region { get; init; } = "us-east-1";
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? SessionToken { get; init; }

    /// <summary>Path-style addressing; always on when <see cref="ServiceUrl"/> is set.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>
    /// Send and validate flexible checksums only where an operation requires them.
    /// Ceph Pacific rejects aws-chunked bodies with trailing checksums; real AWS
    /// works with the SDK default (false).
    /// </summary>
    public bool ChecksumsWhenRequiredOnly { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Retries the SDK makes itself before an error reaches the caller (null: the
    /// SDK's default). Read from AWS_MAX_ATTEMPTS (attempts, so retries + 1). The
    /// multipart sink retries on top within its outage window; 0 here leaves all
    /// retrying, and its counting, to the sink.
    /// </summary>
    public int? MaxErrorRetries { get; init; }

    public static S3ConnectionOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { Length: > 0 } v ? v : null;

        var endpoint = Get("AWS_ENDPOINT_URL_S3") ?? Get("AWS_ENDPOINT_URL");
        var checksumSetting = Get("AWS_REQUEST_CHECKSUM_CALCULATION");
        int? maxRetries = int.TryParse(Get("AWS_MAX_ATTEMPTS"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var attempts) && attempts >= 1 ? attempts - 1 : null;
        return new S3ConnectionOptions
        {
            ServiceUrl = endpoint,
            Region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION") ?? "us-east-1",
            AccessKeyId = Get("AWS_ACCESS_KEY_ID"),
            SecretAccessKey = Get("AWS_SECRET_ACCESS_KEY"),
            SessionToken = Get("AWS_SESSION_TOKEN"),
            ForcePathStyle = endpoint is not null,
            MaxErrorRetries = maxRetries,
            ChecksumsWhenRequiredOnly = checksumSetting is not null
                ? string.Equals(checksumSetting, "when_required", StringComparison.OrdinalIgnoreCase)
                : endpoint is not null,
        };
    }

    /// <summary>Builds a client; the caller owns and disposes it.</summary>
    public IAmazonS3 CreateClient()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = ForcePathStyle || ServiceUrl is not null,
            Timeout = RequestTimeout,
        };
        if (MaxErrorRetries is { } retries) config.MaxErrorRetry = retries;
        if (ServiceUrl is not null)
        {
            config.ServiceURL = ServiceUrl;
            config.AuthenticationRegion = Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }

        if (ChecksumsWhenRequiredOnly)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        AWSCredentials? credentials = (AccessKeyId, SecretAccessKey) switch
        {
            ({ } id, { } secret) when SessionToken is { } token => new SessionAWSCredentials(id, secret, token),
            ({ } id, { } secret) => new BasicAWSCredentials(id, secret),
            _ => null,
        };
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() =>
        $"S3 {(ServiceUrl ?? $"AWS {Region}")} (access key {(AccessKeyId is null ? "from the default chain" : AccessKeyId)})";
}
