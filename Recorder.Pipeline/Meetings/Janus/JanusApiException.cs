namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// Janus answered with an error: a core error (<c>janus: error</c>) or a
/// VideoRoom error (<c>error_code</c>). The message is Janus's reason and the
/// request kind, never the request body (which may carry a PIN or a secret).
/// </summary>
public sealed class JanusApiException(int code, string message) : Exception(message)
{
    /// <summary>Core: the session does not exist (expired, or Janus restarted).</summary>
    public const int NoSuchSession = 458;
    /// <summary>VideoRoom: no such room.</summary>
    public const int NoSuchRoom = 426;
    /// <summary>VideoRoom: no such feed (the publisher is gone).</summary>
    public const int NoSuchFeed = 428;
    /// <summary>VideoRoom: wrong PIN or secret.</summary>
    public const int Unauthorized = 433;

    public int Code { get; } = code;
}
