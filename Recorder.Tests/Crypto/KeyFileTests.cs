using Recorder.Crypto;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;

namespace Recorder.Tests.Crypto;

/// <summary>Keys in age's Bech32 forms and age-keygen's file format; no secret in any message or ToString.</summary>
public sealed class KeyFileTests
{
    // From the CCTV vectors: the identity and the recipient it gives.
    private const string VectorIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

    [Fact]
    public void Identity_file_round_trips_with_comments_and_several_keys()
    {
        using var a = X25519Identity.Generate();
        using var b = X25519Identity.Generate();
        var writer = new StringWriter();
        AgeKeyFile.WriteIdentity(writer, a, DateTimeOffset.UnixEpoch);
        writer.Write("\n# another key\n");
        AgeKeyFile.WriteIdentity(writer, b, DateTimeOffset.UnixEpoch);
        var text = writer.ToString();
        Assert.StartsWith($"# created: 1970-01-01T00:00:00Z\n# public key: {a.Recipient}\nAGE-SECRET-KEY-1", text);

        var read = AgeKeyFile.ReadIdentities(new StringReader(text));
        Assert.Equal([a.Recipient, b.Recipient], read.Select(i => i.Recipient));
        foreach (var i in read) i.Dispose();
    }

    [Fact]
    public void Bad_line_is_named_by_number_without_its_content()
    {
        var secret = VectorIdentity[..^1] + "X";
        var e = Assert.Throws<FormatException>(() => AgeKeyFile.ReadIdentities(new StringReader($"# c\n\n{secret}\n")));
        Assert.Equal("line 3: not a valid age X25519 identity (AGE-SECRET-KEY-1…)", e.Message);
        Assert.DoesNotContain(secret[15..40], e.Message);
    }

    [Fact]
    public void Lowercase_secret_key_and_uppercase_recipient_are_refused_as_age_does()
    {
        Assert.Throws<FormatException>(() => X25519Identity.Parse(VectorIdentity.ToLowerInvariant()));
        using var identity = X25519Identity.Parse(VectorIdentity);
        Assert.False(X25519Recipient.TryParse(identity.Recipient.ToString().ToUpperInvariant(), out _));
        Assert.True(X25519Recipient.TryParse(identity.Recipient.ToString(), out var parsed));
        Assert.Equal(identity.Recipient, parsed);
    }

    [Fact]
    public void ToString_and_fingerprint_show_only_public_facts()
    {
        using var identity = X25519Identity.Parse(VectorIdentity);
        Assert.Equal($"X25519Identity({identity.Recipient})", identity.ToString());
        Assert.DoesNotContain("SECRET", identity.ToString());
        Assert.Matches("^x25519:[0-9a-f]{32}$", identity.Recipient.Fingerprint);
        Assert.Equal(identity.Recipient.Fingerprint, ((IRecipient)AgeRecipients.Parse(identity.Recipient.ToString())).Fingerprint);
    }

    [Theory]
    [InlineData("age1qqqq", "not a valid age X25519 recipient: the age1… key is damaged or mistyped")]
    [InlineData("ssh-ed25519 AAAA", "unknown recipient type: expected age1… or kms:KEY-ARN")]
    [InlineData("kms:", "a KMS recipient is kms: followed by a key ARN, key id or alias")]
    public void Recipient_text_errors_say_what_is_wrong(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => AgeRecipients.Parse(text)).Message);
    }

    [Fact]
    public void Recipients_file_round_trips_with_comments()
    {
        using var a = X25519Identity.Generate();
        var written = new StringWriter();
        AgeKeyFile.WriteRecipients(written, [(a.Recipient, "host")]);
        Assert.Equal($"# host\n{a.Recipient}\n", written.ToString());
        var read = AgeKeyFile.ReadRecipients(new StringReader(written + "\n"));
        Assert.Equal(a.Recipient, Assert.Single(read));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Group_readable_identity_file_is_flagged()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.False(AgeKeyFile.HasLoosePermissions(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.True(AgeKeyFile.HasLoosePermissions(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
