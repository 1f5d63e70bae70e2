// Records one meeting in real time through the real pipeline (source, live
// edge, ffmpeg encoder) into an output that only counts bytes, and prints one
// JSON line: media seconds, bytes, the live edge's counters and the end reason.
// CPU is measured from outside (/usr/bin/time -v counts ffmpeg children too).
//
//   RecordingBench --meeting URI --seconds N
using System.Globalization;
using System.Text.Json;
using Recorder.Pipeline.Meetings;
using Recorder.Pipeline;

string? meeting = null;
var seconds = 30.0;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--meeting": meeting = args[i + 1]; break;
        case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"RecordingBench: unknown option {args[i]}"); return 2;
    }
}
if (meeting is null)
{
    Console.Error.WriteLine("usage: RecordingBench --meeting URI [--seconds N]");
    return 2;
}

await using var source = MeetingSourceFactory.Create(meeting);
var output = new CountingOutput();
var options = new RecordingOptions
{
    RecordingId = "bench",
    HostId = "bench",
    MeetingId = "bench",
    RealTime = true,
    MaxDuration = TimeSpan.FromSeconds(seconds),
};
var manifest = await new RecordingPipeline(source, output, options).RunAsync(CancellationToken.None, CancellationToken.None);
Console.WriteLine(JsonSerializer.Serialize(new
{
    meeting = source.Description,
    mediaSeconds = manifest.Segments.Sum(s => s.DurationSeconds),
    bytes = output.Bytes,
    stats = manifest.Stats,
    endReason = manifest.EndReason,
}));
return manifest.State == "completed" ? 0 : 1;

/// <summary>Discards the encoder's output, counting it: the benchmark is about the source, mixer and encoder, not storage.</summary>
internal sealed class CountingOutput : IRecordingOutput
{
    public long Bytes;
    public IReadOnlyList<string> RecipientFingerprints { get; } = ["bench:none"];
    public string ManifestLocation => "bench:manifest";

    public Task<ISegmentWriter> StartSegmentAsync(int number, CancellationToken cancellationToken) => Task.FromResult<ISegmentWriter>(new Writer(this, number));

    public Task PublishManifestAsync(RecordingManifest manifest, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class Writer(CountingOutput owner, int number) : ISegmentWriter
    {
        private long _bytes;

        public string Location => $"bench:segment-{number}";

        public Recorder.Storage.UploadProgress? Upload => null;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
        {
            _bytes += plaintext.Length;
            Interlocked.Add(ref owner.Bytes, plaintext.Length);
            return ValueTask.CompletedTask;
        }

        public Task<SegmentWritten> CompleteAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new SegmentWritten(Location, _bytes, "", _bytes));

        public Task AbortAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
