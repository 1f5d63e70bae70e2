using System.Runtime.InteropServices;

namespace Recorder.Cli.IO;

/// <summary>
/// SIGINT/SIGTERM for long verbs: the first asks for a clean stop (finish the
/// segment, complete the upload), the second aborts. <see cref="StopCleanly"/>
/// counts as a first signal (for <c>record --events</c>, whose supervisor
/// closing stdin means it is gone), so a signal after it aborts.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly CliOutput _output;
    private readonly Lock _gate = new();
    private int _received;
    private bool _disposed;

    public StopSignals(CliOutput output, CancellationToken cancellationToken)
    {
        _output = output;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // we end the process ourselves, cleanly
            lock (_gate)
            {
                if (_disposed) return;
                if (++_received == 1)
                {
                    _output.Notice("recorder: stopping: finishing the current segment (signal again to abort)");
                    _stop.Cancel();
                }
                else
                {
                    _output.Notice("recorder: aborting");
                    _abort.Cancel();
                }
            }
        }
    }

    public CancellationToken Stop => _stop.Token;
    public CancellationToken Abort => _abort.Token;

    /// <summary>A clean stop, as a first signal would ask, with <paramref name="notice"/> on stderr; nothing if a stop was already asked for.</summary>
    public void StopCleanly(string notice)
    {
        lock (_gate)
        {
            if (_disposed || _received > 0) return;
            _received = 1;
            _output.Notice(notice);
            _stop.Cancel();
        }
    }

    public void Dispose()
    {
        // Under the lock: a signal or the end of stdin may arrive on another thread while the command ends.
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var r in _registrations) r.Dispose();
            _stop.Dispose();
            _abort.Dispose();
        }
    }
}
