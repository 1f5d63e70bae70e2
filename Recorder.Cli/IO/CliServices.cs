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

    public IAmazonS3 S3 => _s3 ??= S3ConnectionOptions.FromEnvironment(console.Environment).CreateClient();

    /// <summary>S3 with Recorder.Storage's retries and error vocabulary.</summary>
    public IObjectStore Store => _store ??= new S3ObjectStore(S3);

    public IAmazonKeyManagementService Kms => _kms ??= CreateKms();

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
