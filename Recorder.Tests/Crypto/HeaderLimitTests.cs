using System.Text;
using Recorder.Crypto;

namespace Recorder.Tests.Crypto;

/// <summary>A hostile header cannot cost unbounded memory or time: size and stanza-count limits.</summary>
public sealed class HeaderLimitTests
{
    private static byte[] HeaderWith(int stanzas, int argumentLength)
    {
        var sb = new StringBuilder("age-encryption.org/v1\n");
        for (var i = 0; i < stanzas; i++) sb.Append("-> grease ").Append('a', argumentLength).Append("\n\n");
        sb.Append("--- ").Append('A', 43).Append('\n');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Theory]
    [InlineData(129, 1, "invalid age header: more than 128 stanzas")]
    [InlineData(2, 40_000, "invalid age header: longer than 65536 bytes")]
    [InlineData(5, 40_000, "invalid age header: no closing line within 65536 bytes")]
    public async Task Oversized_header_is_refused_before_any_key_is_tried(int stanzas, int argumentLength, string message)
    {
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => AgeInspector.InspectAsync(new MemoryStream(HeaderWith(stanzas, argumentLength))));
        Assert.Equal((AgeFailureKind.Header, message), (e.Kind, e.Message));
    }

    [Fact]
    public async Task Header_within_the_limits_with_unknown_stanzas_is_read()
    {
        var info = await AgeInspector.InspectAsync(new MemoryStream(HeaderWith(128, 100)));
        Assert.Equal(128, info.StanzaTypes.Count);
        Assert.All(info.StanzaTypes, t => Assert.Equal("grease", t));
    }
}
