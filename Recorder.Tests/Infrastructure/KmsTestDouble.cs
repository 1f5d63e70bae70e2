using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A TEST DOUBLE of AWS KMS, not KMS: no KMS emulator can run on these machines
/// (no Docker for LocalStack), so this speaks just enough of the KMS JSON 1.1
/// protocol (<c>TrentService.Encrypt</c>/<c>Decrypt</c>) on 127.0.0.1 for
/// AWSSDK.KeyManagementService to talk to it. It enforces what the recorder
/// relies on: the recorder's credentials may <c>Encrypt</c> but are refused
/// <c>Decrypt</c> (AccessDeniedException), Encrypt requires the recorder's
/// encryption context keys (like a key policy condition), and a ciphertext only
/// decrypts under the exact context it was encrypted with (AES-GCM with the
/// canonical context as associated data), else InvalidCiphertextException.
/// Signatures are not verified; callers are told apart by their access key id.
/// </summary>
public sealed class KmsTestDouble : IAsyncDisposable
{
    public const string RecorderAccessKeyId = "AKIDRECORDERTEST0001";
    public const string ArchivistAccessKeyId = "AKIDARCHIVISTTEST001";
    private const string Account = "111122223333";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _keys = new();
    private readonly ConcurrentQueue<KmsCall> _calls = new();

    public sealed record KmsCall(string Operation, string AccessKeyId, IReadOnlyDictionary<string, string> Context, string Outcome);

    private KmsTestDouble(WebApplication app) => _app = app;

    /// <summary>Encryption context keys Encrypt must carry (empty: none required).</summary>
    public IReadOnlySet<string> RequiredContextKeys { get; init; } = new HashSet<string>();

    public string Url { get; private set; } = "";

    public IReadOnlyCollection<KmsCall> Calls => _calls.ToArray();

    public static async Task<KmsTestDouble> StartAsync(IReadOnlySet<string>? requiredContextKeys = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var kms = new KmsTestDouble(app) { RequiredContextKeys = requiredContextKeys ?? new HashSet<string>() };
        app.MapPost("/", kms.HandleAsync);
        await app.StartAsync();
        kms.Url = app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        return kms;
    }

    /// <summary>Creates a symmetric key and returns its ARN.</summary>
    public string CreateKey()
    {
        var arn = $"arn:aws:kms:us-east-1:{Account}:key/{Guid.NewGuid()}";
        _keys[arn] = RandomNumberGenerator.GetBytes(32);
        return arn;
    }

    /// <summary>An SDK client for the double with the given caller's (fake) credentials.</summary>
    public IAmazonKeyManagementService CreateClient(string accessKeyId) =>
        new AmazonKeyManagementServiceClient(new BasicAWSCredentials(accessKeyId, "test-double-secret-not-a-real-key"),
            new AmazonKeyManagementServiceConfig { ServiceURL = Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    /// <summary>Environment variables that point the CLI's KMS client at the double.</summary>
    public IReadOnlyDictionary<string, string?> Environment(string accessKeyId) => new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL_KMS"] = Url,
        ["AWS_ACCESS_KEY_ID"] = accessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = "test-double-secret-not-a-real-key",
        ["AWS_REGION"] = "us-east-1",
    };

    private async Task HandleAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var caller = CallerOf(http.Request.Headers.Authorization.ToString());
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        var context = (body["EncryptionContext"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
                      ?? new Dictionary<string, string>();
        var (status, response) = target switch
        {
            _ when caller is null => Error("UnrecognizedClientException", "The security token included in the request is invalid."),
            "TrentService.Encrypt" => Encrypt(caller, body, context),
            "TrentService.Decrypt" => Decrypt(caller, body, context),
            _ => Error("UnknownOperationException", $"{target} is not implemented by the test double"),
        };
        _calls.Enqueue(new KmsCall(target.Replace("TrentService.", "", StringComparison.Ordinal), caller ?? "", context,
            response["__type"]?.GetValue<string>() ?? "ok"));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/x-amz-json-1.1";
        await http.Response.WriteAsync(response.ToJsonString());
    }

    private (int, JsonObject) Encrypt(string caller, JsonObject body, Dictionary<string, string> context)
    {
        var keyId = body["KeyId"]?.GetValue<string>() ?? "";
        if (!_keys.TryGetValue(keyId, out var key)) return Error("NotFoundException", $"Key '{keyId}' does not exist");
        if (RequiredContextKeys.FirstOrDefault(k => !context.ContainsKey(k)) is { } missing)
            return Denied(caller, "kms:Encrypt", keyId, $" (the key policy requires the encryption context key {missing})");
        var plaintext = Convert.FromBase64String(body["Plaintext"]?.GetValue<string>() ?? "");
        var nonce = RandomNumberGenerator.GetBytes(12);
        var sealedBytes = new byte[plaintext.Length + 16];
        using (var gcm = new AesGcm(key, 16))
            gcm.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), Canonical(context));
        var keyBytes = Encoding.UTF8.GetBytes(keyId);
        byte[] blob = [(byte)keyBytes.Length, .. keyBytes, .. nonce, .. sealedBytes];
        return (200, new JsonObject
        {
            ["CiphertextBlob"] = Convert.ToBase64String(blob), ["KeyId"] = keyId, ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT",
        });
    }

    private (int, JsonObject) Decrypt(string caller, JsonObject body, Dictionary<string, string> context)
    {
        var blob = Convert.FromBase64String(body["CiphertextBlob"]?.GetValue<string>() ?? "");
        if (blob.Length < 1 + blob[0] + 12 + 16) return Error("InvalidCiphertextException", "");
        var keyId = Encoding.UTF8.GetString(blob, 1, blob[0]);
        if (!_keys.TryGetValue(keyId, out var key)) return Error("InvalidCiphertextException", "");
        if (body["KeyId"]?.GetValue<string>() is { } requested && requested != keyId)
            return Error("IncorrectKeyException", "The key ID in the request does not identify the key that encrypted the ciphertext.");
        if (caller != ArchivistAccessKeyId) return Denied(caller, "kms:Decrypt", keyId, "");
        var rest = blob.AsSpan(1 + blob[0]);
        var plaintext = new byte[rest.Length - 12 - 16];
        try
        {
            using var gcm = new AesGcm(key, 16);
            gcm.Decrypt(rest[..12], rest[12..^16], rest[^16..], plaintext, Canonical(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            return Error("InvalidCiphertextException", "");
        }
        return (200, new JsonObject
        {
            ["Plaintext"] = Convert.ToBase64String(plaintext), ["KeyId"] = keyId, ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT",
        });
    }

    private static (int, JsonObject) Denied(string caller, string action, string keyArn, string why) => Error("AccessDeniedException",
        $"User: arn:aws:iam::{Account}:user/{caller} is not authorized to perform: {action} on resource: {keyArn}{why}");

    private static (int, JsonObject) Error(string type, string message) =>
        (400, new JsonObject { ["__type"] = type, ["message"] = message });

    private static byte[] Canonical(Dictionary<string, string> context) =>
        JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(context, StringComparer.Ordinal));

    /// <summary>The access key id of a SigV4 Authorization header (Credential=AKID/date/region/kms/aws4_request).</summary>
    private static string? CallerOf(string authorization)
    {
        const string marker = "Credential=";
        var at = authorization.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var id = authorization[(at + marker.Length)..].Split('/')[0];
        return id is RecorderAccessKeyId or ArchivistAccessKeyId ? id : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
