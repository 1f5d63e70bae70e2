using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Recorder.Storage;

namespace Recorder.Cli.IO;

/// <summary>
/// Clients built from the standard AWS variables, created on first use so verbs
/// that need no cloud never read credentials. S3 uses Recorder.Storage's
/// connection settings; KMS honours AWS_ENDPOINT_URL_KMS (or AWS_ENDPOINT_URL).
/// </summary>
public sealed class CliServices(CliConsole console) : IDisposable
{
    private IAmazonS3? _s3;
    private IObjectStore? _store;
    private IAmazonKeyManagementService? _kms;

    public IAmazonS3 S3 => _s3 ??= CreateS3();

    /// <summary>S3 with Recorder.Storage's retries and error vocabulary.</summary>
    public IObjectStore Store => _store ??= new S3ObjectStore(S3);

    public IAmazonKeyManagementService Kms => _kms ??= CreateKms();

    /// <summary>
    /// Refuses at once, naming the variables, what the SDK would find out only after a
    /// failed request: an S3-compatible endpoint (AWS_ENDPOINT_URL_S3) with no credentials
    /// from any source it reads there, or half a key pair. Without an endpoint (real AWS)
    /// the SDK's chain may still find a role, so that is left to it.
    /// </summary>
    private IAmazonS3 CreateS3()
    {
        var options = S3ConnectionOptions.FromEnvironment(console.Environment);
        if ((options.AccessKeyId is null) != (options.SecretAccessKey is null))
            throw new CliException(options.AccessKeyId is null ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not" : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                CliErrors.CredentialVariables);
        if (options.ServiceUrl is not null && options.AccessKeyId is null && !HasOtherCredentialSource())
            throw new CliException($"no AWS credentials for the S3 server at {options.ServiceUrl}", CliErrors.CredentialVariables);
        return options.CreateClient();
    }

    private bool HasOtherCredentialSource()
    {
        string[] variables = ["AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"];
        if (variables.Any(v => console.Environment(v) is { Length: > 0 })) return true;
        return console.Environment("HOME") is { Length: > 0 } home
            && (File.Exists(Path.Combine(home, ".aws", "credentials")) || File.Exists(Path.Combine(home, ".aws", "config")));
    }

    private IAmazonKeyManagementService CreateKms()
    {
        string? Get(string name) => console.Environment(name) is { Length: > 0 } v ? v : null;
        var region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION") ?? "us-east-1";
        var config = new AmazonKeyManagementServiceConfig();
        if ((Get("AWS_ENDPOINT_URL_KMS") ?? Get("AWS_ENDPOINT_URL")) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return (Get("AWS_ACCESS_KEY_ID"), Get("AWS_SECRET_ACCESS_KEY"), Get("AWS_SESSION_TOKEN")) switch
        {
            ({ } id, { } secret, { } token) => new AmazonKeyManagementServiceClient(new SessionAWSCredentials(id, secret, token), config),
            ({ } id, { } secret, null) => new AmazonKeyManagementServiceClient(new BasicAWSCredentials(id, secret), config),
            _ => new AmazonKeyManagementServiceClient(config),
        };
    }

    public void Dispose()
    {
        _s3?.Dispose();
        _kms?.Dispose();
    }
}
