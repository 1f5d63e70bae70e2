namespace Recorder.Pipeline.Rtp;

/// <summary>
/// Reassembles VP8 frames from in-order RTP packets (RFC 7741): strips each
/// payload descriptor, starts a frame at S=1/PID=0, ends it at the marker bit
/// (or when the timestamp moves on). Releases only frames a decoder can use
/// cleanly: a keyframe, or an inter frame whose chain back to the last
/// keyframe lost nothing. After a loss it waits for the next keyframe and
/// says so (<see cref="NeedsKeyframe"/>), so the caller can ask for one.
/// </summary>
public sealed class Vp8Depacketizer(int maxFrameBytes = 1 << 20)
{
    private readonly byte[] _frame = new byte[maxFrameBytes];
    private int _length;
    private uint _timestamp;
    private bool _collecting;
    private bool _broken;
    private bool _chainIntact;

    /// <summary>True until a keyframe arrives, and again after any loss.</summary>
    public bool NeedsKeyframe => !_chainIntact;

    public long FramesReleased { get; private set; }
    public long FramesDiscarded { get; private set; }

    /// <summary>A sender restart: forget the frame in progress and wait for a keyframe.</summary>
    public void Reset()
    {
        _collecting = false;
        _chainIntact = false;
    }

    /// <summary>Adds one packet (in sequence order; <paramref name="lostBefore"/> > 0 after a gap). True when <paramref name="frame"/> is complete and decodable.</summary>
    public bool Push(in RtpPacket header, ReadOnlySpan<byte> payload, int lostBefore, out Vp8Frame frame)
    {
        frame = default;
        if (lostBefore > 0)
        {
            if (_collecting) _broken = true;
            _chainIntact = false;
        }
        if (_collecting && header.Timestamp != _timestamp)
        {
            // The previous frame never saw its marker: its last packet was lost.
            Discard();
        }

        if (!TryStripDescriptor(payload, out var start, out var vp8))
        {
            if (_collecting) _broken = true;
            return false;
        }
        if (start)
        {
            if (_collecting) Discard();
            _collecting = true;
            _broken = false;
            _length = 0;
            _timestamp = header.Timestamp;
        }
        else if (!_collecting)
        {
            // A middle of a frame whose start we missed.
            _chainIntact = false;
            return false;
        }

        if (_length + vp8.Length > _frame.Length) _broken = true;
        else
        {
            vp8.CopyTo(_frame.AsSpan(_length));
            _length += vp8.Length;
        }
        if (!header.Marker) return false;
        return Complete(out frame);
    }

    private bool Complete(out Vp8Frame frame)
    {
        frame = default;
        _collecting = false;
        if (_broken || _length < 3)
        {
            FramesDiscarded++;
            _chainIntact = false;
            return false;
        }
        var keyframe = (_frame[0] & 0x01) == 0;
        int width = 0, height = 0;
        if (keyframe)
        {
            // Keyframe header: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (RFC 6386 §9.1).
            if (_length < 10 || _frame[3] != 0x9d || _frame[4] != 0x01 || _frame[5] != 0x2a)
            {
                FramesDiscarded++;
                _chainIntact = false;
                return false;
            }
            width = (_frame[6] | (_frame[7] << 8)) & 0x3FFF;
            height = (_frame[8] | (_frame[9] << 8)) & 0x3FFF;
            _chainIntact = true;
        }
        if (!_chainIntact)
        {
            FramesDiscarded++;
            return false;
        }
        FramesReleased++;
        frame = new Vp8Frame(_frame.AsMemory(0, _length), _timestamp, keyframe, width, height);
        return true;
    }

    private void Discard()
    {
        _collecting = false;
        _chainIntact = false;
        FramesDiscarded++;
    }

    /// <summary>RFC 7741 §4.2: X|R|N|S|R|PID, then optional I/L/T/K extensions; returns the VP8 payload after it.</summary>
    internal static bool TryStripDescriptor(ReadOnlySpan<byte> payload, out bool startOfFrame, out ReadOnlySpan<byte> vp8)
    {
        startOfFrame = false;
        vp8 = default;
        if (payload.IsEmpty) return false;
        var first = payload[0];
        var offset = 1;
        if ((first & 0x80) != 0)
        {
            if (payload.Length < 2) return false;
            var ext = payload[1];
            offset = 2;
            if ((ext & 0x80) != 0) // I: PictureID, 7 or 15 bits
            {
                if (payload.Length <= offset) return false;
                offset += (payload[offset] & 0x80) != 0 ? 2 : 1;
            }
            if ((ext & 0x40) != 0) offset++; // L: TL0PICIDX
            if ((ext & 0x30) != 0) offset++; // T or K: TID/Y/KEYIDX
        }
        if (payload.Length <= offset) return false;
        startOfFrame = (first & 0x10) != 0 && (first & 0x07) == 0;
        vp8 = payload[offset..];
        return true;
    }
}
