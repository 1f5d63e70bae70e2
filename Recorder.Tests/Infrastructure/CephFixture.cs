using Amazon.S3;
using Amazon.S3.Model;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The real local S3: a Ceph RADOS Gateway on 127.0.0.1. Uses the cluster the
/// test script started (RECORDER_CEPH_DIR and the AWS variables it exported);
/// otherwise starts one with localstack/ceph-start.sh and stops it afterwards.
/// Real cloud credentials are never read: without RECORDER_CEPH_DIR the
/// environment's AWS variables are ignored.
/// </summary>
public sealed class CephFixture : IAsyncLifetime
{
    private string? _startedDir;
    private IAmazonS3? _client;

    public S3ConnectionOptions Options { get; private set; } = null!;
    public IAmazonS3 Client => _client ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        IReadOnlyDictionary<string, string> env;
        if (Environment.GetEnvironmentVariable("RECORDER_CEPH_DIR") is { Length: > 0 } dir && Directory.Exists(dir))
        {
            env = ReadExports(await File.ReadAllTextAsync(Path.Combine(dir, "env")));
        }
        else
        {
            var result = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("ceph-start.sh"), [], TimeSpan.FromMinutes(3));
            if (result.ExitCode != 0)
                throw new InvalidOperationException(
                    $"localstack/ceph-start.sh failed ({result.ExitCode}); run localstack/install.sh first. {result.StandardError}");
            env = ReadExports(result.StandardOutput);
            _startedDir = env["RECORDER_CEPH_DIR"];
        }

        Options = S3ConnectionOptions.FromEnvironment(name => env.GetValueOrDefault(name));
        if (Options.ServiceUrl is null || !Options.ServiceUrl.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
            throw new InvalidOperationException($"the local S3 endpoint must be on 127.0.0.1, got '{Options.ServiceUrl}'");
        _client = Options.CreateClient();
    }

    /// <summary>Creates a bucket with a unique name (at least 3 characters, as Ceph requires).</summary>
    public async Task<string> CreateBucketAsync(string purpose)
    {
        var name = UniqueBucketName(purpose);
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    private static string UniqueBucketName(string purpose) =>
        $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(purpose.Length + 13, 63)].ToLowerInvariant();

    /// <summary>A bucket with versioning enabled.</summary>
    public async Task<string> CreateVersionedBucketAsync(string purpose)
    {
        var name = await CreateBucketAsync(purpose);
        await Client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = name, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        return name;
    }

    /// <summary>
    /// A bucket created with Object Lock (so versioned) and a default GOVERNANCE retention of one day: new
    /// versions cannot be deleted without the bypass header (nobody cleans up: the memstore is thrown away).
    /// </summary>
    public async Task<string> CreateObjectLockBucketAsync(string purpose)
    {
        var name = UniqueBucketName(purpose);
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name, ObjectLockEnabledForBucket = true });
        await Client.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = name,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1 } },
            },
        });
        return name;
    }

    /// <summary>The whole stored object at <c>s3://bucket/key</c>.</summary>
    public async Task<byte[]> ReadObjectAsync(string s3Uri)
    {
        var path = s3Uri.StartsWith("s3://", StringComparison.Ordinal) ? s3Uri["s3://".Length..] : throw new ArgumentException($"not an s3:// URI: {s3Uri}", nameof(s3Uri));
        var slash = path.IndexOf('/');
        using var response = await Client.GetObjectAsync(new GetObjectRequest { BucketName = path[..slash], Key = path[(slash + 1)..] });
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_startedDir is not null)
            await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("ceph-stop.sh"), [_startedDir], TimeSpan.FromMinutes(1));
    }

    /// <summary>Parses the `export NAME=value` lines ceph-start.sh prints.</summary>
    internal static IReadOnlyDictionary<string, string> ReadExports(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("export ", StringComparison.Ordinal) && l.Contains('='))
            .Select(l => l["export ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
}

[CollectionDefinition(Name)]
public sealed class CephCollection : ICollectionFixture<CephFixture>
{
    public const string Name = "ceph";
}
