namespace Recorder.Pipeline.Meetings.Synthetic;

/// <summary>
/// A built-in simulated meeting (<c>synthetic://</c>): participants join and
/// leave at the times the URI gives, and the meeting ends after its duration.
/// Media is computed from time, so with <c>pace=fast</c> it can be recorded faster than real time.
/// </summary>
public sealed class SyntheticMeetingSource : MeetingSource
{
    private readonly SyntheticParticipant[] _participants;
    private readonly int[] _joinOrder;
    private readonly bool[] _present;

    public SyntheticMeetingSource(SyntheticMeetingOptions options)
    {
        Options = options;
        _participants = Enumerable.Range(0, options.Participants).Select(i => new SyntheticParticipant(options, i)).ToArray();
        _joinOrder = Enumerable.Range(0, options.Participants).OrderBy(options.JoinTime).ThenBy(i => i).ToArray();
        _present = new bool[options.Participants];
    }

    public SyntheticMeetingOptions Options { get; }
    public IReadOnlyList<SyntheticParticipant> AllParticipants => _participants;
    public override string Description => $"synthetic meeting ({Options.Participants} participants, {Options.Duration.TotalSeconds:0.#} s)";
    public override bool SupportsVirtualTime => Options.Fast;

    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Snapshot(TimeSpan at, List<Participant> present)
    {
        present.Clear();
        foreach (var i in _joinOrder)
        {
            var isPresent = at >= Options.JoinTime(i) && at < Options.LeaveTime(i) && at < Options.Duration;
            if (isPresent != _present[i])
            {
                _present[i] = isPresent;
                var p = _participants[i];
                Publish(new RosterEvent(at, isPresent ? RosterEventKind.Joined : RosterEventKind.Left, p.Id, p.DisplayName));
            }
            if (isPresent) present.Add(_participants[i]);
        }
        if (at >= Options.Duration) End(Options.Duration, "the simulated meeting is over");
    }
}
