using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Recorder.Pipeline.Audit;
using Recorder.Service.Audit;
using Recorder.Service.Auth;
using Recorder.Service.Store;
using Recorder.Storage;

namespace Recorder.Service.Api;

/// <summary>
/// What the playback page (and any other client) needs to play a recording with the host's own key: the manifest
/// (fragment index, sizes) and the stored ciphertext of each segment by byte range, read from S3 by the service.
/// Ciphertext only: the service has no key for it and never receives one. A host reads only its own recordings.
/// </summary>
public static class PlaybackEndpoints
{
    /// <summary>The largest manifest served (a day of 1-second fragments is about 2 MiB).</summary>
    public const long MaxManifestBytes = 16L * 1024 * 1024;
    private const int PieceBytes = 256 * 1024;

    public static void MapPlaybackEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/recordings").WithTags("playback").RequireAuthorization(Roles.Readers);
        group.MapGet("/{id}/manifest", ManifestAsync).Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("the recording's manifest as stored next to its segments (segments, sizes, fragment index)");
        group.MapGet("/{id}/segments/{number}", SegmentAsync).Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .WithSummary("a stored segment's ciphertext (an age file), whole or one byte range (Range: bytes=FIRST-LAST)");
    }

    private static async Task<IResult> ManifestAsync(string id, HttpContext context, IRecorderStore store, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await RecordingAccess.VisibleAsync(id, context, store, cancellationToken) is not { } recording) return Problems.NotFound($"recording {id}");
        if (recording.ManifestUri is null || !ObjectLocation.TryParse(recording.ManifestUri, out var location))
            return Problems.Conflict($"recording {id} has stored nothing yet", "its manifest is written once it has started", RecordingEndpoints.ConflictCodes.NotStarted, id);
        if (await audit.Store.HeadObjectAsync(location.Bucket, location.Key, cancellationToken) is not { } head)
            return Problems.Conflict($"recording {id} has no manifest in storage yet", "try again once it has started recording", RecordingEndpoints.ConflictCodes.NotStarted, id);
        if (head.SizeBytes > MaxManifestBytes)
            return Problems.Result(StatusCodes.Status502BadGateway, $"the manifest of recording {id} is {head.SizeBytes} bytes, more than the {MaxManifestBytes} served");
        var bytes = await audit.Store.ReadAllAsync(location.Bucket, location.Key, head.SizeBytes, head.ETag, cancellationToken);
        NoStore(context.Response);
        return TypedResults.Bytes(bytes, "application/json");
    }

    private static async Task<IResult> SegmentAsync(string id, string number, HttpContext context, IRecorderStore store, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        if (await RecordingAccess.VisibleAsync(id, context, store, cancellationToken) is not { } recording) return Problems.NotFound($"recording {id}");
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || recording.Segments.FirstOrDefault(s => s.Number == n) is not { } segment
            || !ObjectLocation.TryParse(segment.Uri, out var location))
            return Problems.NotFound($"segment {number} of recording {id}: it has {recording.Segments.Count} stored segment(s), numbered from 1");
        if (await audit.Store.HeadObjectAsync(location.Bucket, location.Key, cancellationToken) is not { } head)
            return Problems.NotFound($"segment {n} of recording {id} in storage (it was listed but is gone)");

        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        NoStore(response);
        var (range, problem) = ByteRanges.Parse(context.Request.Headers.Range.ToString(), head.SizeBytes);
        if (problem is not null)
        {
            response.Headers.ContentRange = $"bytes */{head.SizeBytes}";
            return Problems.Result(StatusCodes.Status416RangeNotSatisfiable, problem,
                "ask for one range inside the segment, e.g. Range: bytes=0-65535; its size is in the manifest");
        }
        var (first, last) = range ?? (0, head.SizeBytes - 1);
        response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        if (range is not null) response.Headers.ContentRange = $"bytes {first}-{last}/{head.SizeBytes}";
        response.ContentType = "application/octet-stream";
        response.ContentLength = last - first + 1;
        await CopyAsync(audit.Store, location, head.ETag, first, last, response, cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary>Streams bytes first..last of the object in pieces, pinned to the ETag seen at HEAD (a replaced object fails instead of mixing).</summary>
    private static async Task CopyAsync(IObjectStore objects, ObjectLocation location, string etag, long first, long last, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PieceBytes);
        try
        {
            for (var offset = first; offset <= last;)
            {
                var want = (int)Math.Min(PieceBytes, last - offset + 1);
                var read = await objects.GetRangeAsync(location.Bucket, location.Key, offset, buffer.AsMemory(0, want), etag, cancellationToken);
                if (read == 0) throw new StorageException($"s3://{location.Bucket}/{location.Key} ended at byte {offset}, before the {last + 1} its HEAD promised");
                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                offset += read;
            }
        }
        catch (Exception e) when (e is StorageException && response.HasStarted)
        {
            // The status and length are sent: the client must see a broken response, not a short one that looks whole.
            response.HttpContext.Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "private, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
