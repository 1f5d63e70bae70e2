using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Recorder.Service.Store;

namespace Recorder.Service.Auth;

/// <summary>
/// API tokens: <c>rec_{id}_{secret}</c>, a public 72-bit id to find the token
/// by and a 256-bit random secret. Only the secret's SHA-256 is stored (a
/// 256-bit random value needs no slow hash), and it is compared in constant
/// time. The id is not secret; finding a row by it reveals nothing of the secret.
/// </summary>
public static class ApiTokens
{
    public const string Prefix = "rec_";
    private const int IdBytes = 9;
    private const int SecretBytes = 32;

    /// <summary>A new token for <paramref name="principalId"/>: the text to hand out once, and the record to store.</summary>
    public static (string Token, TokenRecord Record) Issue(string principalId, string role, DateTimeOffset now)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        try
        {
            var secretText = Base64Url.EncodeToString(secret);
            return ($"{Prefix}{id}_{secretText}", new TokenRecord(id, principalId, role, SHA256.HashData(Encoding.ASCII.GetBytes(secretText)), now));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Splits a presented token into its id and the SHA-256 of its secret; false for anything not shaped like one.</summary>
    public static bool TryParse(string? token, out string tokenId, out byte[] secretSha256)
    {
        tokenId = "";
        secretSha256 = [];
        if (token is null || token.Length > 128 || !token.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = token.AsSpan(Prefix.Length);
        // Base64url has '_' in its alphabet: the id has a fixed length, so split there.
        const int idLength = IdBytes * 4 / 3;
        if (rest.Length <= idLength + 1 || rest[idLength] != '_') return false;
        var id = rest[..idLength];
        var secret = rest[(idLength + 1)..];
        if (!Base64Url.IsValid(id) || !Base64Url.IsValid(secret) || Base64Url.GetMaxDecodedLength(secret.Length) < SecretBytes) return false;
        tokenId = id.ToString();
        secretSha256 = SHA256.HashData(Encoding.ASCII.GetBytes(secret.ToString()));
        return true;
    }

    /// <summary>Constant-time comparison of two SHA-256 values (or of the hashes of two configured secrets).</summary>
    public static bool SameHash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);

    public static byte[] HashOf(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
