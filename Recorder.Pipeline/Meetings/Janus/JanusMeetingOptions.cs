using System.Globalization;
using System.Text.Json.Nodes;
using System.Web;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// A Janus VideoRoom to record, from a URI:
/// <code>janus://HOST:PORT/janus?room=R[&amp;pin=…][&amp;secret=…][&amp;idle=N][&amp;reconnect=N][&amp;display=NAME]</code>
/// HOST:PORT/PATH is Janus's HTTP API. <c>pin</c> joins a protected room;
/// <c>secret</c> (the room secret) is needed by rooms that protect
/// <c>rtp_forward</c>. <c>idle</c>: end after N seconds without any publisher
/// (default 120; 0 never). <c>reconnect</c>: how long to wait for Janus and
/// the room to come back after the connection was lost (default 30 s; 0: end
/// at once). <c>display</c>: the name the recorder joins under (default
/// <see cref="DisplayNames.Default"/>). Media comes over loopback UDP: the
/// recorder runs beside Janus.
/// </summary>
public sealed record JanusMeetingOptions
{
    public required Uri ApiUrl { get; init; }
    /// <summary>The room id as Janus takes it: a number, or a string where Janus runs with string_ids.</summary>
    public required string Room { get; init; }
    public string? Pin { get; init; }
    public string? Secret { get; init; }
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>What the room's participants see the recorder as.</summary>
    public string DisplayName { get; init; } = DisplayNames.Default;
    /// <summary>How long media waits on the recording clock for late and reordered packets.</summary>
    public TimeSpan PlayoutDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>A stream silent this long while its publisher is present gets a new forwarder (a restarted publisher's lower sequence numbers make Janus drop everything on the old one).</summary>
    public TimeSpan StreamSilenceBeforeReforward { get; init; } = TimeSpan.FromSeconds(2);
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>Safe to log: where, and which room; never the PIN or the secret.</summary>
    public string Description => $"Janus VideoRoom {Room} at {ApiUrl.GetLeftPart(UriPartial.Path)}";

    public JsonNode RoomJson() => JanusApiClient.IdNode(Room);

    /// <summary>
    /// Reads a janus:// URI. <paramref name="displayName"/> names the recorder from outside the
    /// URI (e.g. <c>record --display-name</c>); giving it and the URI's <c>display=</c> both is
    /// an <see cref="ArgumentException"/> naming <paramref name="displayName"/>.
    /// </summary>
    public static JanusMeetingOptions Parse(Uri uri, string? displayName = null)
    {
        if (uri.Scheme != "janus") throw new ArgumentException($"not a janus:// meeting URI: {uri.Scheme}://", nameof(uri));
        if (string.IsNullOrEmpty(uri.Host)) throw new FormatException("a janus:// URI needs the host of Janus's HTTP API, e.g. janus://127.0.0.1:8088/janus?room=1234");
        if (!string.IsNullOrEmpty(uri.UserInfo)) throw new FormatException("put the PIN and secret in pin= and secret=, not in the URI's user part");
        var query = HttpUtility.ParseQueryString(uri.Query);
        string? room = null, pin = null, secret = null, display = null;
        TimeSpan idle = TimeSpan.FromSeconds(120), reconnect = TimeSpan.FromSeconds(30);
        foreach (var key in query.AllKeys)
        {
            var value = query[key] ?? "";
            switch (key)
            {
                case "room": room = value; break;
                case "pin": pin = value; break;
                case "secret": secret = value; break;
                case "display": display = value; break;
                case "idle": idle = Seconds(key, value); break;
                case "reconnect": reconnect = Seconds(key, value); break;
                default: throw new FormatException($"unknown janus meeting parameter '{key}' (known: room, pin, secret, idle, reconnect, display)");
            }
        }
        if (string.IsNullOrWhiteSpace(room)) throw new FormatException("a janus:// URI needs room=ROOM_ID");
        if (string.IsNullOrWhiteSpace(display)) display = null;
        if (display is not null && !DisplayNames.IsValid(display)) throw new FormatException($"display must be {DisplayNames.Rule}");
        if (displayName is not null)
        {
            if (display is not null)
                throw new ArgumentException("the display name is given twice, in the URI (display=) and apart from it: give it once", nameof(displayName));
            if (!DisplayNames.IsValid(displayName)) throw new ArgumentException($"the display name must be {DisplayNames.Rule}", nameof(displayName));
        }
        var path = uri.AbsolutePath is "" or "/" ? "/janus" : uri.AbsolutePath;
        var port = uri.IsDefaultPort ? 8088 : uri.Port;
        return new JanusMeetingOptions
        {
            ApiUrl = new UriBuilder("http", uri.Host, port, path).Uri,
            Room = room,
            Pin = string.IsNullOrEmpty(pin) ? null : pin,
            Secret = string.IsNullOrEmpty(secret) ? null : secret,
            IdleTimeout = idle,
            ReconnectTimeout = reconnect,
            DisplayName = displayName ?? display ?? DisplayNames.Default,
        };
    }

    private static TimeSpan Seconds(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 && s <= 86_400
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"{key} must be a number of seconds from 0 to 86400, got '{value}'");

    /// <summary>Never prints the PIN or the secret (records print every property by default).</summary>
    public override string ToString() => Description;
}
