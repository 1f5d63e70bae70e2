using System.Net.Sockets;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Xunit.Abstractions;

namespace Recorder.Tests.Crypto;

/// <summary>
/// The KMS stanza against LocalStack's KMS when one is reachable on 127.0.0.1
/// (localstack/docker-compose.yml, where Docker exists). Skipped, with the
/// reason printed, everywhere else; the KmsTestDouble tests cover these machines.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KmsLocalStackTests(ITestOutputHelper output)
{
    private static readonly Uri Endpoint = new(Environment.GetEnvironmentVariable("RECORDER_LOCALSTACK_URL") is { Length: > 0 } url
        ? url : "http://127.0.0.1:4566");

    [SkippableFact]
    public async Task Round_trip_through_localstack_kms()
    {
        var reason = await UnreachableReasonAsync();
        if (reason is not null) output.WriteLine($"skipped: {reason}");
        Skip.If(reason is not null, reason);
        if (!Endpoint.IsLoopback) throw new InvalidOperationException("LocalStack must be on the loopback interface");

        using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("test", "test"),
            new AmazonKeyManagementServiceConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "recorder test" });
        var recipient = AgeRecipients.Parse($"kms:{key.KeyMetadata.Arn}", new KmsRecipientOptions { Client = kms });
        var plaintext = AgeTestData.Random(100_000);
        var ciphertext = await AgeTestData.EncryptAsync(plaintext, [recipient],
            options: new AgeEncryptOptions { KmsEncryptionContext = KmsEncryptionContext.ForSegment("rec", 1, "host") });
        Assert.Equal(plaintext, await AgeTestData.DecryptAsync(ciphertext, [new KmsIdentity(kms)]));
    }

    private static async Task<string?> UnreachableReasonAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await tcp.ConnectAsync(Endpoint.Host, Endpoint.Port, timeout.Token);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return $"no LocalStack reachable at {Endpoint} (no Docker on this machine; start localstack/docker-compose.yml where Docker exists)";
        }
    }
}
