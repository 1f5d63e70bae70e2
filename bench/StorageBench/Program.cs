using System.Diagnostics;
using System.Globalization;
using Recorder.Storage;

// Streams a file (on tmpfs: from memory) into S3 through MultipartUploadSink and prints one line of figures.
//   StorageBench --bucket B --key K --input FILE [--budget-mib 64] [--in-flight 6] [--part-mib 8]
// S3 settings come from the AWS environment variables (S3ConnectionOptions.FromEnvironment).
var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string Arg(string name, string? fallback = null) =>
    options.GetValueOrDefault(name) ?? fallback ?? throw new ArgumentException($"--{name} is required");
const long MiB = 1024 * 1024;

var input = Arg("input");
var budget = long.Parse(Arg("budget-mib", "64"), CultureInfo.InvariantCulture) * MiB;
var uploadOptions = new MultipartUploadOptions
{
    MemoryBudgetBytes = budget,
    MaxPartsInFlight = int.Parse(Arg("in-flight", "6"), CultureInfo.InvariantCulture),
    MinPartSizeBytes = long.Parse(Arg("part-mib", "8"), CultureInfo.InvariantCulture) * MiB,
    ExpectedLengthBytes = new FileInfo(input).Length,
    MaxRecordingLengthBytes = Math.Max(new FileInfo(input).Length, 64L * 1024 * MiB),
};

using var client = S3ConnectionOptions.FromEnvironment().CreateClient();
var clock = Stopwatch.StartNew();
var sink = await MultipartUploadSink.StartAsync(new S3ObjectStore(client), new ObjectDestination(Arg("bucket"), Arg("key")), uploadOptions);
await using (var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
{
    var buffer = new byte[256 * 1024];
    int n;
    while ((n = await source.ReadAsync(buffer)) > 0) await sink.Stream.WriteAsync(buffer.AsMemory(0, n));
}
var result = await sink.CompleteAsync();
clock.Stop();
var p = sink.Progress;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"bytes={result.LengthBytes} parts={result.PartCount} part_mib={sink.PartSizes.InitialPartSizeBytes / MiB} seconds={clock.Elapsed.TotalSeconds:0.00} "
    + $"mib_per_s={result.LengthBytes / MiB / clock.Elapsed.TotalSeconds:0.0} retries={p.Retries} budget_mib={budget / MiB} "
    + $"peak_reserved_mib={p.PeakReservedBytes / (double)MiB:0.0} peak_buffered_mib={p.PeakBufferedBytes / (double)MiB:0.0} "
    + $"gc_heap_mib={GC.GetGCMemoryInfo().HeapSizeBytes / (double)MiB:0.0} etag={result.ETag}"));
