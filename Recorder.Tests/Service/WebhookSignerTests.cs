using Recorder.Service.Webhooks;

namespace Recorder.Tests.Service;

public sealed class WebhookSignerTests
{
    // The Standard Webhooks specification's published vector: a receiver's stock library accepts what we send only if this matches.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Body = "{\"test\": 2432232314}";

    [Fact]
    public void Signs_the_specifications_test_vector() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSigner.Sign(Secret, Id, DateTimeOffset.FromUnixTimeSeconds(1614265330), Body));

    [Theory]
    [InlineData(Id, "1614265330", Body, true)]
    [InlineData(Id, "1614265331", Body, false)] // another timestamp
    [InlineData("msg_other", "1614265330", Body, false)] // another message id
    [InlineData(Id, "1614265330", "{\"test\": 2432232315}", false)] // another body
    [InlineData(Id, "not-a-number", Body, false)]
    public void Verifies_only_the_exact_message(string id, string timestamp, string body, bool valid) =>
        Assert.Equal(valid, WebhookSigner.Verify(Secret, id, timestamp, body, "v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));

    [Fact]
    public void New_secrets_are_32_random_bytes_in_the_whsec_form()
    {
        var a = WebhookSigner.NewSecret();
        var b = WebhookSigner.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.Equal(32, Convert.FromBase64String(a["whsec_".Length..]).Length);
        Assert.NotEqual(a, b);
        Assert.NotEqual(WebhookSigner.Sign(a, Id, DateTimeOffset.UnixEpoch, Body), WebhookSigner.Sign(b, Id, DateTimeOffset.UnixEpoch, Body));
    }

    [Fact]
    public void A_secret_without_its_prefix_is_refused() =>
        Assert.Throws<FormatException>(() => WebhookSigner.Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Id, DateTimeOffset.UnixEpoch, Body));
}
