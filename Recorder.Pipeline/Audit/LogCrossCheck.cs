using Recorder.Pipeline.Audit.Log;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// A finished recording's segments against its events in the audit log: each stored segment has a
/// <c>segment.completed</c> or <c>segment.truncated</c> event with the same SHA-256, and the log names no segment the
/// manifest does not list. Not checked while the log has not seen the recording end (events may lag the objects).
/// </summary>
public static class LogCrossCheck
{
    public static IEnumerable<AuditFinding> Check(RecordingVerification result, IReadOnlyList<AuditEvent> events)
    {
        if (!events.Any(e => e.Type == AuditEventTypes.RecordingEnded)) yield break;
        var logged = events.Where(e => e.Type is AuditEventTypes.SegmentCompleted or AuditEventTypes.SegmentTruncated && e.Segment is not null)
            .GroupBy(e => e.Segment!.Value).ToDictionary(g => g.Key, g => g.Last());
        var listed = result.Segments.ToDictionary(s => s.Number);
        foreach (var (number, e) in logged.Where(l => !listed.ContainsKey(l.Key)))
        {
            yield return FindingCodes.Finding(FindingCodes.LogEventsMismatch, result.Manifest,
                $"the log says segment {number} was stored ({e.Object}, SHA-256 {e.Sha256}); the manifest does not list it", $"recorder verify {result.Manifest}");
        }
        foreach (var segment in result.Segments)
        {
            if (!logged.TryGetValue(segment.Number, out var e))
            {
                yield return FindingCodes.Finding(FindingCodes.LogEventsMismatch, segment.Location,
                    $"no segment event in the audit log for segment {segment.Number} of {result.RecordingId}", $"recorder verify {result.Manifest}");
            }
            else if (segment.Sha256 is { } sha && e.Sha256 != sha)
            {
                yield return FindingCodes.Finding(FindingCodes.LogEventsMismatch, segment.Location,
                    $"the log recorded segment {segment.Number} with SHA-256 {e.Sha256}; the manifest says {sha}", $"recorder verify {result.Manifest}");
            }
        }
    }
}
