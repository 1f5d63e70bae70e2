using System.Diagnostics;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// Puts one stream's RTP packets back in sequence order. A missing packet is
/// waited for at most <c>maxWait</c> after a later one arrived, then declared
/// lost; duplicates and packets older than what was already released are
/// dropped. A jump of more than 3,000 sequence numbers forward or 100
/// backward (a sender that restarted) is confirmed by a second, consecutive
/// packet and then restarts the buffer (<see cref="InsertResult.Restarted"/>).
/// Memory is fixed: <c>capacity</c> slots of <see cref="MaxPacketBytes"/>.
/// Not thread-safe: one receiving loop inserts and reads.
/// </summary>
public sealed class RtpJitterBuffer
{
    public const int MaxPacketBytes = 1500;
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private readonly Slot[] _slots;
    private readonly long _maxWaitTicks;
    private bool _started;
    private long _next;
    private long _highest;
    private int _count;
    private int? _probeSequence;

    public RtpJitterBuffer(int capacity, TimeSpan maxWait)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0) throw new ArgumentException("capacity must be a power of two", nameof(capacity));
        _slots = Enumerable.Range(0, capacity).Select(_ => new Slot()).ToArray();
        _maxWaitTicks = (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
    }

    public long Lost { get; private set; }
    public long Dropped { get; private set; }
    public int Count => _count;

    public enum InsertResult { Accepted, Duplicate, TooLate, Restarted, Ignored }

    /// <summary>Copies the packet's payload in; <paramref name="arrivalTicks"/> is a <see cref="Stopwatch"/> timestamp.</summary>
    public InsertResult Insert(in RtpPacket header, ReadOnlySpan<byte> payload, long arrivalTicks)
    {
        if (payload.Length > MaxPacketBytes) return Drop(InsertResult.Ignored);
        var result = InsertResult.Accepted;
        if (!_started)
        {
            Restart(header.SequenceNumber);
        }
        else
        {
            var delta = unchecked((short)(header.SequenceNumber - (ushort)_highest));
            if (delta > MaxDropout || delta < -MaxMisorder)
            {
                // Either a stray packet or a new sequence: a new one is confirmed by its successor.
                if (_probeSequence != header.SequenceNumber)
                {
                    _probeSequence = unchecked((ushort)(header.SequenceNumber + 1));
                    return Drop(InsertResult.Ignored);
                }
                Restart(header.SequenceNumber);
                result = InsertResult.Restarted;
            }
        }
        _probeSequence = null;

        var ext = _highest + unchecked((short)(header.SequenceNumber - (ushort)_highest));
        if (ext < _next) return Drop(InsertResult.TooLate);
        if (ext - _next >= _slots.Length)
        {
            // No room: give up on the oldest packets rather than grow.
            var newNext = ext - _slots.Length + 1;
            for (var e = _next; e < newNext; e++)
            {
                var old = _slots[e & (_slots.Length - 1)];
                if (old.Occupied && old.Extended == e) Free(old);
                else Lost++;
            }
            _next = newNext;
        }
        var slot = _slots[ext & (_slots.Length - 1)];
        if (slot.Occupied && slot.Extended == ext) return Drop(InsertResult.Duplicate);
        payload.CopyTo(slot.Buffer);
        slot.Length = payload.Length;
        slot.Extended = ext;
        slot.Header = header;
        slot.ArrivalTicks = arrivalTicks;
        slot.Occupied = true;
        _count++;
        if (ext > _highest) _highest = ext;
        return result;
    }

    /// <summary>
    /// The next packet in order, if it is here or if waiting for the missing
    /// ones has timed out (<paramref name="lostBefore"/> counts those skipped).
    /// The payload stays valid until the next <see cref="Insert"/>.
    /// </summary>
    public bool TryRead(long nowTicks, out RtpPacket header, out ReadOnlyMemory<byte> payload, out int lostBefore, out long arrivalTicks)
    {
        header = default;
        payload = default;
        lostBefore = 0;
        arrivalTicks = 0;
        if (_count == 0) return false;
        var slot = _slots[_next & (_slots.Length - 1)];
        if (!(slot.Occupied && slot.Extended == _next))
        {
            Slot? first = null;
            for (var e = _next + 1; e <= _highest; e++)
            {
                var s = _slots[e & (_slots.Length - 1)];
                if (s.Occupied && s.Extended == e)
                {
                    first = s;
                    break;
                }
            }
            if (first is null || nowTicks - first.ArrivalTicks < _maxWaitTicks) return false;
            lostBefore = (int)(first.Extended - _next);
            Lost += lostBefore;
            _next = first.Extended;
            slot = first;
        }
        header = slot.Header;
        payload = slot.Buffer.AsMemory(0, slot.Length);
        arrivalTicks = slot.ArrivalTicks;
        Free(slot);
        _next++;
        return true;
    }

    /// <summary>Forgets everything: the next packet starts a new sequence (a new forwarder).</summary>
    public void Reset()
    {
        foreach (var s in _slots) s.Occupied = false;
        _count = 0;
        _started = false;
        _probeSequence = null;
    }

    private void Restart(ushort sequenceNumber)
    {
        foreach (var s in _slots) s.Occupied = false;
        _count = 0;
        _started = true;
        // Extended numbers start one cycle up so that early reordering never goes negative.
        _next = _highest = 65_536 + sequenceNumber;
    }

    private void Free(Slot slot)
    {
        slot.Occupied = false;
        _count--;
    }

    private InsertResult Drop(InsertResult why)
    {
        Dropped++;
        return why;
    }

    private sealed class Slot
    {
        public readonly byte[] Buffer = new byte[MaxPacketBytes];
        public int Length;
        public long Extended;
        public RtpPacket Header;
        public long ArrivalTicks;
        public bool Occupied;
    }
}
