using System.Buffers;

namespace Recorder.Storage;

/// <summary>One part's bytes: whole blocks from a <see cref="PartBlockPool"/>, the last one filled up to <see cref="Length"/>.</summary>
internal sealed class PartBlocks(int number, int sizeBytes)
{
    private readonly List<byte[]> _blocks = [];
    private int _lastBlockUsed;

    public int Number => number;
    public int SizeBytes => sizeBytes;
    public int Length { get; private set; }
    public bool IsFull => Length == sizeBytes;
    public IReadOnlyList<byte[]> Blocks => _blocks;

    /// <summary>Room in the last block, capped by the part size; 0 means a block must be added.</summary>
    public int Room => _blocks.Count == 0 ? 0 : Math.Min(_blocks[^1].Length - _lastBlockUsed, sizeBytes - Length);

    public void AddBlock(byte[] block)
    {
        _blocks.Add(block);
        _lastBlockUsed = 0;
    }

    /// <summary>Copies as much of <paramref name="data"/> as <see cref="Room"/> allows; returns the count.</summary>
    public int Append(ReadOnlySpan<byte> data)
    {
        var n = Math.Min(data.Length, Room);
        data[..n].CopyTo(_blocks[^1].AsSpan(_lastBlockUsed));
        _lastBlockUsed += n;
        Length += n;
        return n;
    }

    /// <summary>The bytes as one sequence over the blocks (no copy).</summary>
    public ReadOnlySequence<byte> Content()
    {
        if (_blocks.Count == 0) return ReadOnlySequence<byte>.Empty;
        if (_blocks.Count == 1) return new ReadOnlySequence<byte>(_blocks[0], 0, Length);
        var first = new Segment(_blocks[0], 0);
        var last = first;
        for (var i = 1; i < _blocks.Count; i++) last = last.Append(_blocks[i]);
        return new ReadOnlySequence<byte>(first, 0, last, _lastBlockUsed);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] block, long runningIndex)
        {
            Memory = block;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] block)
        {
            var next = new Segment(block, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
