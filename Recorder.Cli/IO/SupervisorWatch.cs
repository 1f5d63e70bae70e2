using System.Globalization;

namespace Recorder.Cli.IO;

/// <summary>
/// <c>record --events</c> runs under a supervisor (the service's job) that
/// keeps the child's stdin open for as long as it lives. The end of stdin
/// means the supervisor is gone: nobody will send SIGTERM, so the recording
/// stops cleanly by itself, exactly as a first SIGTERM would have it (the
/// segment finished, the upload completed, the manifest written).
///
/// The supervisor also renews the recording's lease through stdin, one line
/// per renewal: <c>lease EPOCH VALID-MS</c>. Once a lease line came, the
/// recorder writes nothing after the lease's end: if no renewal arrives
/// within VALID-MS (the supervisor paused, lost the database, or died and
/// the segment could not be finished in time), it exits at once, leaving the
/// open segment's upload to the worker that takes the recording over, so two
/// workers never write the same recording at the same time.
/// </summary>
internal static class SupervisorWatch
{
    public const string GoneNotice = "recorder: stdin closed: the supervisor is gone; finishing the current segment";

    /// <summary>Exit status when the lease ran out: not a failure, the recording goes on where it is leased next.</summary>
    public const int LeaseExpiredExitCode = Recorder.Pipeline.Events.RecordingEvent.LeaseExpiredExitCode;

    /// <summary>Reads stdin on a thread of its own until it ends, then stops the recording.</summary>
    public static void Start(Stream standardInput, StopSignals signals, CliOutput output)
    {
        var lease = new LeaseDeadline(output);
        // A blocking read on a dedicated thread: it waits for the whole recording, which would tie up a
        // thread-pool thread; the thread is a background one, so it never holds the process back.
        var thread = new Thread(() => ReadToEnd(standardInput, signals, lease, output)) { IsBackground = true, Name = "recorder stdin watch" };
        thread.Start();
    }

    private static void ReadToEnd(Stream standardInput, StopSignals signals, LeaseDeadline lease, CliOutput output)
    {
        try
        {
            using var reader = new StreamReader(standardInput, leaveOpen: true);
            while (reader.ReadLine() is { } line)
            {
                if (TryParseLease(line, out var epoch, out var valid)) lease.Renewed(epoch, valid);
                else if (line.Length > 0) output.Notice("recorder: ignoring a line on stdin that is not 'lease EPOCH VALID-MS'");
            }
        }
        catch (IOException)
        {
            // A stdin that cannot be read any more (closed, EBADF) is a supervisor gone all the same.
        }
        catch (ObjectDisposedException)
        {
            // The command ended and its streams with it.
            return;
        }
        signals.StopCleanly(GoneNotice);
    }

    internal static bool TryParseLease(string line, out long epoch, out TimeSpan valid)
    {
        epoch = 0;
        valid = TimeSpan.Zero;
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] != "lease"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out epoch)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 3_600_000)
            return false;
        valid = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>The end of the lease on this process's monotonic clock; at that moment the process exits.</summary>
    private sealed class LeaseDeadline(CliOutput output)
    {
        private readonly Lock _gate = new();
        private Timer? _timer;
        private long _epoch;

        public void Renewed(long epoch, TimeSpan valid)
        {
            lock (_gate)
            {
                _epoch = epoch;
                _timer ??= new Timer(_ => Expired());
                _timer.Change(valid, Timeout.InfiniteTimeSpan);
            }
        }

        private void Expired()
        {
            output.Report(string.Create(CultureInfo.InvariantCulture,
                $"recorder: error: lease {_epoch} ran out without a renewal from the supervisor: stopping at once, so that another worker can take the recording over"));
            output.Report("recorder: hint: the open segment's upload is left as it is; the take-over completes it as a truncated segment");
            Environment.Exit(LeaseExpiredExitCode);
        }
    }
}
