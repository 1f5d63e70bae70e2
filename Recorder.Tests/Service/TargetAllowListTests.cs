using Recorder.Service.Api;

namespace Recorder.Tests.Service;

public sealed class TargetAllowListTests
{
    private static readonly TargetAllowList Default = new(["127.0.0.0/8", "::1", "localhost"]);

    [Theory]
    [InlineData("janus://127.0.0.1:8088/janus?room=1", true)]
    [InlineData("janus://127.8.9.10:8088/janus?room=1", true)]
    [InlineData("http://localhost:9000/hook", true)]
    [InlineData("http://LOCALHOST./hook", true)]
    [InlineData("http://[::1]:9000/hook", true)]
    [InlineData("http://[::ffff:127.0.0.1]:9000/hook", true)] // IPv4-mapped loopback
    [InlineData("http://10.0.0.5/hook", false)] // private range
    [InlineData("http://169.254.169.254/latest/meta-data", false)] // cloud metadata
    [InlineData("http://example.com/hook", false)]
    [InlineData("http://localhost.example.com/hook", false)] // a name is trusted only as listed
    [InlineData("http://2130706433/hook", true)] // 127.0.0.1 written as a number: Uri normalizes it
    [InlineData("http://[::2]/hook", false)]
    public void Only_loopback_is_allowed_by_default(string url, bool allowed) => Assert.Equal(allowed, Default.Allows(new Uri(url)));

    [Fact]
    public void Listed_names_and_ranges_are_allowed()
    {
        var list = new TargetAllowList(["janus.internal", "10.1.0.0/16", "192.0.2.7"]);
        Assert.True(list.Allows(new Uri("janus://janus.internal:8088/janus?room=1")));
        Assert.True(list.Allows(new Uri("http://10.1.200.3/")));
        Assert.True(list.Allows(new Uri("http://192.0.2.7/")));
        Assert.False(list.Allows(new Uri("http://192.0.2.8/")));
        Assert.False(list.Allows(new Uri("http://127.0.0.1/")));
    }

    [Fact]
    public void A_malformed_entry_is_a_configuration_error() =>
        Assert.Equal("allow-list entry '10.0.0.0/99' is not a host name, an address or a CIDR range",
            Assert.Throws<FormatException>(() => new TargetAllowList(["10.0.0.0/99"])).Message);
}
