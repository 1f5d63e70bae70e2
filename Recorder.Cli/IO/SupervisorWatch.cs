namespace Recorder.Cli.IO;

/// <summary>
/// <c>record --events</c> runs under a supervisor (the service's job) that
/// keeps the child's stdin open for as long as it lives. The end of stdin
/// means the supervisor is gone: nobody will send SIGTERM, so the recording
/// stops cleanly by itself, exactly as a first SIGTERM would have it (the
/// segment finished, the upload completed, the manifest written).
/// </summary>
internal static class SupervisorWatch
{
    public const string GoneNotice = "recorder: stdin closed: the supervisor is gone; finishing the current segment";

    /// <summary>Reads (and ignores) stdin on a thread of its own until it ends, then stops the recording.</summary>
    public static void Start(Stream standardInput, StopSignals signals)
    {
        // A blocking read on a dedicated thread: it waits for the whole recording, which would tie up a
        // thread-pool thread; the thread is a background one, so it never holds the process back.
        var thread = new Thread(() => ReadToEnd(standardInput, signals)) { IsBackground = true, Name = "recorder stdin watch" };
        thread.Start();
    }

    private static void ReadToEnd(Stream standardInput, StopSignals signals)
    {
        var buffer = new byte[512];
        try
        {
            while (standardInput.Read(buffer) > 0)
            {
                // Nothing is read from the supervisor yet: anything it sends is ignored.
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
}
