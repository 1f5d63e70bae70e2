using System.Text.Json;
using Recorder.Cli.S3;
using Recorder.Pipeline;

namespace Recorder.Cli.Ranges;

/// <summary>
/// SOURCE of a time-range decrypt: a recording's manifest (a name ending in <c>.json</c>) or one
/// of its segments, local or <c>s3://</c>. A segment's manifest is <c>manifest.json</c> in the
/// same folder; a manifest's segments are the objects of the same file names in its folder
/// (so a recording copied elsewhere as a whole still works).
/// </summary>
internal sealed record RecordingSource(string ManifestLocation, RecordingManifest Manifest, int? OnlySegment, long ManifestBytes)
{
    private const long MaxManifestBytes = 64L * 1024 * 1024;
    public const string ManifestName = "manifest.json";

    public static async Task<RecordingSource> ResolveAsync(string source, CliContext context, CancellationToken ct)
    {
        var isManifest = FileName(source).EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var manifestLocation = isManifest ? source : Sibling(source, ManifestName);
        using var found = await RangedObject.TryOpenAsync(manifestLocation, context, ct);
        if (found is null)
        {
            throw isManifest
                ? new CliException($"no such manifest: {source}")
                : new CliException($"no manifest next to {source}: {manifestLocation} does not exist",
                    "--from/--to need the recording's manifest.json (its fragment index) in the same folder as the segment");
        }
        RecordingManifest manifest;
        try
        {
            manifest = RecordingManifest.Parse(await found.ReadAllAsync(MaxManifestBytes, ct));
        }
        catch (JsonException e)
        {
            throw new CliException($"{manifestLocation} is not a recording manifest ({e.Message})");
        }
        int? only = null;
        if (!isManifest)
        {
            var name = FileName(source);
            only = manifest.Segments.FirstOrDefault(s => FileName(s.Location) == name)?.Number
                ?? throw new CliException($"{name} is not listed in the manifest next to it ({manifestLocation})",
                    "a segment that is still being written, or from another recording, has no fragment index here");
        }
        return new RecordingSource(manifestLocation, manifest, only, found.BytesFetched);
    }

    /// <summary>Where a segment of the manifest is: next to the manifest, under its own file name.</summary>
    public string SegmentLocation(ManifestSegment segment) => Sibling(ManifestLocation, FileName(segment.Location));

    private static string FileName(string location)
    {
        var path = S3Uri.IsS3(location) ? S3Uri.Parse(location).Key : location;
        return path[(path.LastIndexOf('/') + 1)..];
    }

    private static string Sibling(string location, string name)
    {
        if (S3Uri.IsS3(location))
        {
            var uri = S3Uri.Parse(location);
            var slash = uri.Key.LastIndexOf('/');
            return new S3Uri(uri.Bucket, slash < 0 ? name : uri.Key[..(slash + 1)] + name).ToString();
        }
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(location))!, name);
    }
}
