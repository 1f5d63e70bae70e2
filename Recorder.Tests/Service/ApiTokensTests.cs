using System.Security.Cryptography;
using System.Text;
using Recorder.Service.Auth;

namespace Recorder.Tests.Service;

public sealed class ApiTokensTests
{
    [Fact]
    public void An_issued_token_parses_back_to_its_id_and_stored_hash()
    {
        var (token, record) = ApiTokens.Issue("host-1", Roles.Host, DateTimeOffset.UnixEpoch);
        Assert.StartsWith("rec_", token);
        Assert.True(ApiTokens.TryParse(token, out var id, out var hash));
        Assert.Equal(record.TokenId, id);
        Assert.True(ApiTokens.SameHash(record.SecretSha256, hash));
        Assert.Equal(("host-1", "host"), (record.PrincipalId, record.Role));
        // The secret is 256 random bits: base64url of 32 bytes after the 12-character id.
        var secret = token["rec_".Length..][13..];
        Assert.Equal(43, secret.Length);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(secret)), record.SecretSha256);
        Assert.DoesNotContain(secret, Convert.ToHexString(record.SecretSha256), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_changed_secret_does_not_match_the_stored_hash()
    {
        var (token, record) = ApiTokens.Issue("host-1", Roles.Host, DateTimeOffset.UnixEpoch);
        var changed = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.True(ApiTokens.TryParse(changed, out var id, out var hash));
        Assert.Equal(record.TokenId, id);
        Assert.False(ApiTokens.SameHash(record.SecretSha256, hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("rec_")]
    [InlineData("rec_short_secret")]
    [InlineData("rec_AAAAAAAAAAAA")] // an id without a secret
    [InlineData("rec_AAAAAAAAAAAA_")]
    [InlineData("rec_AAAAAAAAAAAA_too-short")]
    [InlineData("xyz_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("rec_AAAAAAAAAAA!_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_not_shaped_like_a_token_is_refused(string text) =>
        Assert.False(ApiTokens.TryParse(text, out _, out _));

    [Fact]
    public void Tokens_are_unique() =>
        Assert.Equal(100, Enumerable.Range(0, 100).Select(_ => ApiTokens.Issue("h", Roles.Host, DateTimeOffset.UnixEpoch).Token).Distinct().Count());
}
