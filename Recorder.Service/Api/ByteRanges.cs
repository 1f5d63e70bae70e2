using Microsoft.Net.Http.Headers;

namespace Recorder.Service.Api;

/// <summary>
/// The Range header of a segment request (RFC 9110, section 14): one byte range, <c>bytes=FIRST-LAST</c>,
/// <c>bytes=FIRST-</c> or <c>bytes=-SUFFIX</c>. Anything else is refused with a reason (the caller answers 416):
/// several ranges, another unit, a malformed value, a range that starts past the end.
/// </summary>
public static class ByteRanges
{
    /// <returns>(null, null) without a Range header: the whole object; the inclusive range; or a problem.</returns>
    public static ((long First, long Last)? Range, string? Problem) Parse(string header, long sizeBytes)
    {
        if (string.IsNullOrEmpty(header)) return (null, null);
        if (!RangeHeaderValue.TryParse(header, out var value) || value.Ranges.Count == 0)
            return (null, $"'{Shorten(header)}' is not a byte range");
        if (!string.Equals(value.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)) return (null, $"the range unit must be bytes, not '{Shorten(value.Unit.Value ?? "")}'");
        if (value.Ranges.Count > 1) return (null, "one range per request: several ranges are not served");
        var range = value.Ranges.Single();
        if (range.From is { } from)
        {
            if (from >= sizeBytes) return (null, $"the range starts at byte {from}, past the end of the {sizeBytes}-byte segment");
            var last = range.To is { } to ? Math.Min(to, sizeBytes - 1) : sizeBytes - 1;
            return ((from, last), null);
        }
        if (range.To is { } suffix and > 0 && sizeBytes > 0) return ((Math.Max(0, sizeBytes - suffix), sizeBytes - 1), null);
        return (null, $"'{Shorten(header)}' selects no byte of the {sizeBytes}-byte segment");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
