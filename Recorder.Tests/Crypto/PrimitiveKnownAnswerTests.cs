using Recorder.Crypto.Primitives;

namespace Recorder.Tests.Crypto;

/// <summary>Known answers from the RFCs, run through the primitives the age format uses.</summary>
public sealed class PrimitiveKnownAnswerTests
{
    // RFC 7748 §5.2: scalar, input u-coordinate, output u-coordinate.
    [Theory]
    [InlineData(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void X25519_matches_rfc7748_section_5_2(string scalar, string u, string expected)
    {
        var result = new byte[32];
        Assert.True(X25519.TryScalarMult(Convert.FromHexString(scalar), Convert.FromHexString(u), result));
        Assert.Equal(expected, Convert.ToHexStringLower(result));
    }

    // RFC 7748 §5.2 iterated test: k = u = 9, then repeatedly u, k = k, X25519(k, u).
    [Theory]
    [InlineData(1, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079")]
    [InlineData(1000, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51")]
    public void X25519_iterated_matches_rfc7748(int iterations, string expected)
    {
        var k = X25519.BasePoint.ToArray();
        var u = X25519.BasePoint.ToArray();
        var r = new byte[32];
        for (var i = 0; i < iterations; i++)
        {
            X25519.TryScalarMult(k, u, r);
            (u, k) = (k, r.ToArray());
        }
        Assert.Equal(expected, Convert.ToHexStringLower(k));
    }

    // RFC 7748 §6.1: Diffie-Hellman between Alice and Bob.
    [Fact]
    public void X25519_diffie_hellman_matches_rfc7748_section_6_1()
    {
        var alicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPrivate = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePublic = new byte[32];
        var bobPublic = new byte[32];
        X25519.ScalarMultBase(alicePrivate, alicePublic);
        X25519.ScalarMultBase(bobPrivate, bobPublic);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePublic));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPublic));

        var sharedA = new byte[32];
        var sharedB = new byte[32];
        Assert.True(X25519.TryScalarMult(alicePrivate, bobPublic, sharedA));
        Assert.True(X25519.TryScalarMult(bobPrivate, alicePublic, sharedB));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(sharedA));
        Assert.Equal(sharedA, sharedB);
    }

    // A low-order point gives the all-zero shared secret, which age must refuse.
    [Fact]
    public void X25519_reports_the_all_zero_result_of_a_low_order_point()
    {
        var scalar = Convert.FromHexString("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        var result = new byte[32];
        Assert.False(X25519.TryScalarMult(scalar, new byte[32], result));
        Assert.All(result, b => Assert.Equal(0, b));
    }

    [Fact]
    public void X25519_rejects_wrong_lengths_naming_the_parameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => X25519.TryScalarMult(new byte[31], new byte[32], new byte[32]));
        Assert.Equal("scalar", ex.ParamName);
    }

    // RFC 5869 Appendix A.1–A.3 (the SHA-256 cases).
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")]
    [InlineData("RANGE:00:4f", "RANGE:60:af", "RANGE:b0:ff", 82,
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")]
    public void Hkdf_sha256_matches_rfc5869(string ikm, string salt, string info, int length, string expectedOkm)
    {
        var okm = new byte[length];
        Hkdf.DeriveKey(Bytes(ikm), Bytes(salt), Bytes(info), okm);
        Assert.Equal(expectedOkm, Convert.ToHexStringLower(okm));
    }

    /// <summary>Hex, or "RANGE:first:last" for the consecutive byte runs of RFC 5869 A.2.</summary>
    private static byte[] Bytes(string spec)
    {
        if (!spec.StartsWith("RANGE:", StringComparison.Ordinal)) return Convert.FromHexString(spec);
        var parts = spec.Split(':');
        int first = Convert.ToInt32(parts[1], 16), last = Convert.ToInt32(parts[2], 16);
        return Enumerable.Range(first, last - first + 1).Select(i => (byte)i).ToArray();
    }
}
