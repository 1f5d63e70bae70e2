namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>One Janus session of the recorder: its API client, its long-poll, and how it was lost (if it was).</summary>
internal sealed class JanusSession(JanusApiClient api)
{
    public JanusApiClient Api { get; } = api;
    public Task? Poll { get; set; }

    /// <summary>Completes with a reason when the session is gone (Janus unreachable, restarted, or it expired the session).</summary>
    public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Closed { get; private set; }

    /// <summary>Destroys the session in Janus (leaving the room) as far as Janus is still there, and ends the long-poll.</summary>
    public async Task CloseAsync()
    {
        if (Closed) return;
        Closed = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Api.DestroyAsync(timeout.Token).ConfigureAwait(false);
        Api.Dispose();
        if (Poll is not null) await Poll.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }
}
