using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// SRTP with AES_CM_128_HMAC_SHA1_80 (RFC 3711) for one stream (one
/// SSRC at a time): in-place decryption after authentication, the rollover
/// counter estimated from sequence numbers (§3.3.1), a 64-packet replay window.
/// A packet that fails any check is never decrypted. Not thread-safe: one
/// context per receiving loop. <see cref="Protect"/> is the sender's side, for
/// tests. (SRTCP is not needed: a recorder sends only plain feedback to Janus,
/// and Janus 1.1.2 forwarders send no sender reports.)
/// </summary>
public sealed class SrtpContext : IDisposable
{
    public const int TagBytes = 10;
    private const int WindowSize = 64;
    private readonly SrtpSessionKeys _rtpKeys;
    private readonly AesCounterMode _rtpCipher;
    private readonly IncrementalHash _rtpMac;
    private readonly byte[] _tag = new byte[20];
    private readonly byte[] _iv = new byte[16];
    private ReplayWindow _rtpReplay = new();
    private uint? _ssrc;
    private uint _roc;
    private ushort _highestSeq;
    private uint _senderRoc;
    private ushort? _senderLastSeq;

    public SrtpContext(SrtpMasterKey master)
    {
        _rtpKeys = SrtpSessionKeys.DeriveForRtp(master);
        _rtpCipher = new AesCounterMode(_rtpKeys.Encryption);
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _rtpKeys.Authentication);
    }

    /// <summary>Authenticates and decrypts an SRTP packet in place; <paramref name="length"/> is the RTP packet's length without the tag.</summary>
    public SrtpResult Unprotect(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < RtpPacket.FixedHeaderLength + TagBytes || !RtpPacket.TryParse(packet[..^TagBytes], out var rtp))
            return SrtpResult.Malformed;
        var body = packet[..^TagBytes];
        if (_ssrc != rtp.Ssrc)
        {
            // A new sender (or the first packet): its index starts from this packet, with ROC 0 as a sender's libsrtp starts.
            _ssrc = rtp.Ssrc;
            _roc = 0;
            _highestSeq = rtp.SequenceNumber;
            _rtpReplay = new ReplayWindow();
        }

        var guessedRoc = GuessRoc(rtp.SequenceNumber);
        var index = ((ulong)guessedRoc << 16) | rtp.SequenceNumber;
        var replay = _rtpReplay.Check(index);
        if (replay != SrtpResult.Ok) return replay;

        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, guessedRoc);
        if (!TagMatches(_rtpMac, body, roc, packet[^TagBytes..])) return SrtpResult.AuthenticationFailed;

        RtpIv(_rtpKeys.Salt, rtp.Ssrc, index);
        _rtpCipher.Apply(_iv, body[rtp.HeaderLength..]);
        _rtpReplay.Accept(index);
        if (guessedRoc > _roc || (guessedRoc == _roc && IsNewer(rtp.SequenceNumber, _highestSeq)))
        {
            _roc = guessedRoc;
            _highestSeq = rtp.SequenceNumber;
        }
        length = body.Length;
        return SrtpResult.Ok;
    }

    /// <summary>Encrypts the RTP packet in <paramref name="buffer"/>[..length] in place and appends the tag; returns the SRTP length.</summary>
    public int Protect(Span<byte> buffer, int length)
    {
        if (!RtpPacket.TryParse(buffer[..length], out var rtp)) throw new ArgumentException("not an RTP packet", nameof(buffer));
        if (_senderLastSeq is { } last && rtp.SequenceNumber < last && last - rtp.SequenceNumber > 0x8000) _senderRoc++;
        _senderLastSeq = rtp.SequenceNumber;
        var index = ((ulong)_senderRoc << 16) | rtp.SequenceNumber;
        RtpIv(_rtpKeys.Salt, rtp.Ssrc, index);
        _rtpCipher.Apply(_iv, buffer[rtp.HeaderLength..length]);
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, _senderRoc);
        _rtpMac.AppendData(buffer[..length]);
        _rtpMac.AppendData(roc);
        _rtpMac.GetHashAndReset(_tag);
        _tag.AsSpan(0, TagBytes).CopyTo(buffer[length..]);
        return length + TagBytes;
    }

    public void Dispose()
    {
        _rtpCipher.Dispose();
        _rtpMac.Dispose();
        _rtpKeys.Dispose();
        CryptographicOperations.ZeroMemory(_tag);
    }

    /// <summary>RFC 3711 §3.3.1: the ROC that puts <paramref name="seq"/> closest to the highest sequence number seen.</summary>
    private uint GuessRoc(ushort seq)
    {
        if (_highestSeq < 0x8000)
            return seq - _highestSeq > 0x8000 && _roc > 0 ? _roc - 1 : _roc;
        return _highestSeq - 0x8000 > seq ? _roc + 1 : _roc;
    }

    private static bool IsNewer(ushort seq, ushort than) => seq != than && unchecked((ushort)(seq - than)) < 0x8000;

    private bool TagMatches(IncrementalHash mac, ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> tag)
    {
        mac.AppendData(data);
        mac.AppendData(suffix);
        mac.GetHashAndReset(_tag);
        return CryptographicOperations.FixedTimeEquals(_tag.AsSpan(0, TagBytes), tag);
    }

    /// <summary>IV = salt·2^16 XOR SSRC·2^64 XOR index·2^16 (§4.1.1).</summary>
    private void RtpIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        var iv = _iv.AsSpan();
        iv.Clear();
        salt.CopyTo(iv);
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(word, ssrc);
        for (var i = 0; i < 4; i++) iv[4 + i] ^= word[i];
        BinaryPrimitives.WriteUInt64BigEndian(word, index << 16);
        for (var i = 0; i < 8; i++) iv[8 + i] ^= word[i];
    }

    /// <summary>Which of the last 64 indices were accepted.</summary>
    private sealed class ReplayWindow
    {
        private ulong _highest;
        private ulong _bits;
        private bool _any;

        public SrtpResult Check(ulong index)
        {
            if (!_any || index > _highest) return SrtpResult.Ok;
            var age = _highest - index;
            if (age >= WindowSize) return SrtpResult.TooOld;
            return (_bits & (1UL << (int)age)) != 0 ? SrtpResult.Replayed : SrtpResult.Ok;
        }

        public void Accept(ulong index)
        {
            if (!_any)
            {
                _any = true;
                _highest = index;
                _bits = 1;
                return;
            }
            if (index > _highest)
            {
                var shift = index - _highest;
                _bits = shift >= WindowSize ? 1 : (_bits << (int)shift) | 1;
                _highest = index;
                return;
            }
            _bits |= 1UL << (int)(_highest - index);
        }
    }
}
