namespace Recorder.Pipeline.Encoder;

/// <summary>A fragment (moof) of the fragmented MP4: its media time in seconds and its byte offset in the plaintext.</summary>
public readonly record struct FragmentIndexEntry(double TimeSeconds, long Offset);
