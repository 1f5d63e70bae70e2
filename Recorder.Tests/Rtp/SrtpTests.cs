using Recorder.Pipeline.Rtp;

namespace Recorder.Tests.Rtp;

/// <summary>SRTP against RFC 3711's test vectors, and the receiver's checks (authentication, replay, rollover).</summary>
public sealed class SrtpTests
{
    [Theory]
    // RFC 3711 B.2: AES-CM keystream for session key 2B7E…, salt F0F1…FD, SSRC 0, index 0, by block number.
    [InlineData(0x0000, "E03EAD0935C95E80E166B16DD92B4EB4")]
    [InlineData(0x0001, "D23513162B02D0F72A43A2FE4A5F97AB")]
    [InlineData(0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0")]
    [InlineData(0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4")]
    [InlineData(0xFF00, "362B7C3C6773516318A077D7FC5073AE")]
    [InlineData(0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44")]
    public void Aes_cm_keystream_matches_rfc3711_b2(int block, string expected)
    {
        using var aes = new AesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[(block + 1) * 16];
        aes.Keystream(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);
        Assert.Equal(expected, Convert.ToHexString(keystream.AsSpan(block * 16, 16)));
    }

    [Fact]
    public void Session_keys_derive_as_rfc3711_b3_lists_them()
    {
        using var master = SrtpMasterKey.FromBytes(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6"));
        using var keys = SrtpSessionKeys.DeriveForRtp(master);
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(keys.Encryption));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(keys.Authentication));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(keys.Salt));
    }

    [Fact]
    public void A_protected_packet_is_encrypted_tagged_and_comes_back_whole()
    {
        using var key = SrtpMasterKey.Generate();
        using var sender = new SrtpContext(key);
        using var receiver = new SrtpContext(key);
        var (buffer, length, payload) = Packet(1234, 0xCAFE);
        var srtp = sender.Protect(buffer, length);
        Assert.Equal(length + SrtpContext.TagBytes, srtp);
        Assert.False(buffer.AsSpan(12, payload.Length).SequenceEqual(payload), "the payload went out in the clear");

        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(buffer.AsSpan(0, srtp), out var plain));
        Assert.Equal(length, plain);
        Assert.Equal(payload, buffer.AsSpan(12, payload.Length).ToArray());
    }

    [Fact]
    public void Altered_replayed_and_foreign_packets_are_refused_and_never_decrypted()
    {
        using var key = SrtpMasterKey.Generate();
        using var other = SrtpMasterKey.Generate();
        using var sender = new SrtpContext(key);
        using var receiver = new SrtpContext(key);
        using var stranger = new SrtpContext(other);

        var (a, la, _) = Packet(10, 1);
        var n = sender.Protect(a, la);
        var copy = a.AsSpan(0, n).ToArray();
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(a.AsSpan(0, n), out _));
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(copy.AsSpan().ToArray(), out _));

        var (b, lb, _) = Packet(11, 1);
        n = sender.Protect(b, lb);
        var tampered = b.AsSpan(0, n).ToArray();
        tampered[20] ^= 0x01;
        var before = tampered.ToArray();
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(tampered, out _));
        Assert.Equal(before, tampered); // nothing was decrypted in place
        Assert.Equal(SrtpResult.AuthenticationFailed, stranger.Unprotect(b.AsSpan(0, n).ToArray(), out _));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(b.AsSpan(0, n), out _));
        Assert.Equal(SrtpResult.Malformed, receiver.Unprotect(new byte[15], out _));
    }

    [Fact]
    public void Reordering_inside_the_window_is_accepted_and_older_packets_are_too_old()
    {
        using var key = SrtpMasterKey.Generate();
        using var sender = new SrtpContext(key);
        using var receiver = new SrtpContext(key);
        var packets = Enumerable.Range(100, 80).Select(seq =>
        {
            var (buffer, length, _) = Packet((ushort)seq, 7);
            return buffer.AsSpan(0, sender.Protect(buffer, length)).ToArray();
        }).ToList();

        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[1], out _));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[0], out _)); // one behind
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[79], out _)); // jumps ahead by 78
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[40], out _)); // 39 behind: inside the 64-packet window
        Assert.Equal(SrtpResult.TooOld, receiver.Unprotect(packets[2], out _)); // 77 behind
    }

    [Fact]
    public void The_rollover_counter_follows_sequence_numbers_through_the_wrap_even_with_reordering()
    {
        using var key = SrtpMasterKey.Generate();
        using var sender = new SrtpContext(key);
        using var receiver = new SrtpContext(key);
        var sequence = Enumerable.Range(65_500, 100).Select(i => (ushort)(i % 65_536)).ToList();
        var packets = sequence.Select(seq =>
        {
            var (buffer, length, payload) = Packet(seq, 9);
            return (Srtp: buffer.AsSpan(0, sender.Protect(buffer, length)).ToArray(), Payload: payload);
        }).ToList();
        // Swap neighbours around the wrap (65535 ↔ 0) and elsewhere.
        (packets[35], packets[36]) = (packets[36], packets[35]);
        (packets[70], packets[71]) = (packets[71], packets[70]);
        foreach (var (srtp, payload) in packets)
        {
            Assert.Equal(SrtpResult.Ok, receiver.Unprotect(srtp, out var length));
            Assert.Equal(payload, srtp.AsSpan(12, length - 12).ToArray());
        }
    }

    [Fact]
    public void Master_keys_never_print_their_bytes()
    {
        using var key = SrtpMasterKey.Generate();
        Assert.DoesNotContain(key.ToBase64(), key.ToString());
        Assert.Equal(40, key.ToBase64().Length); // 30 bytes, as Janus's srtp_crypto wants them
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.ToBase64());
    }

    private static (byte[] Buffer, int Length, byte[] Payload) Packet(ushort seq, uint ssrc)
    {
        var payload = Enumerable.Range(0, 60).Select(i => unchecked((byte)(i * 7 + seq))).ToArray();
        var buffer = new byte[12 + payload.Length + SrtpContext.TagBytes];
        RtpPacket.WriteHeader(buffer, false, 111, seq, unchecked(seq * 960u), ssrc);
        payload.CopyTo(buffer, 12);
        return (buffer, 12 + payload.Length, payload);
    }
}
