using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Recorder.Service.Webhooks;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): the secret is
/// <c>whsec_</c> + base64 of a random key; a message is signed as
/// <c>v1,</c> + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")).
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";
    private const int KeyBytes = 32;

    public static string NewSecret()
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            return SecretPrefix + Convert.ToBase64String(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static string Sign(string secret, string messageId, DateTimeOffset timestamp, string body)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) throw new FormatException("a webhook secret starts with whsec_");
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        try
        {
            var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{body}");
            return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>What a receiver does: true if any of the space-separated v1 signatures matches (constant-time).</summary>
    public static bool Verify(string secret, string messageId, string timestampSeconds, string body, string signatureHeader)
    {
        if (!long.TryParse(timestampSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, DateTimeOffset.FromUnixTimeSeconds(seconds), body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
