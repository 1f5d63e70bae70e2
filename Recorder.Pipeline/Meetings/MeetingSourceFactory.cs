using Recorder.Pipeline.Meetings.Janus;
using Recorder.Pipeline.Meetings.Synthetic;

namespace Recorder.Pipeline.Meetings;

/// <summary>Creates the meeting source a meeting URI names.</summary>
public static class MeetingSourceFactory
{
    public static readonly IReadOnlyList<string> Schemes = ["synthetic", "janus"];

    /// <summary>
    /// Throws <see cref="FormatException"/> with a message naming what is wrong with the URI.
    /// <paramref name="displayName"/>: the name to join under where the meeting shows one (Janus;
    /// synthetic meetings ignore it); an <see cref="ArgumentException"/> naming it when the URI gives one too.
    /// </summary>
    public static MeetingSource Create(string meetingUri, string? displayName = null)
    {
        if (!Uri.TryCreate(meetingUri, UriKind.Absolute, out var uri))
            throw new FormatException($"not a meeting URI: '{meetingUri}' (expected e.g. synthetic://?participants=4&seconds=20)");
        return uri.Scheme switch
        {
            "synthetic" => new SyntheticMeetingSource(SyntheticMeetingOptions.Parse(uri)),
            "janus" => new JanusMeetingSource(JanusMeetingOptions.Parse(uri, displayName)),
            _ => throw new FormatException($"unknown meeting URI scheme '{uri.Scheme}' (known: {string.Join(", ", Schemes)})"),
        };
    }

    /// <summary>A short id for the meeting, used in object keys (no secrets: query parameters are dropped).</summary>
    public static string MeetingId(string meetingUri)
    {
        var uri = new Uri(meetingUri);
        return uri.Scheme switch
        {
            "synthetic" => "synthetic",
            "janus" => JanusMeetingId(uri),
            _ => $"{uri.Scheme}-{uri.Host}",
        };
    }

    /// <summary>janus-HOST-ROOM, with anything an object key must not hold replaced by '-' and cut to 64 characters.</summary>
    private static string JanusMeetingId(Uri uri)
    {
        var id = $"janus-{uri.Host}-{JanusMeetingOptions.Parse(uri).Room}";
        var safe = new string(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray());
        return safe.Length <= 64 ? safe : safe[..64];
    }
}
