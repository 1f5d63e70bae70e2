using System.Runtime.InteropServices;

namespace Recorder.Cli.IO;

/// <summary>
/// SIGINT/SIGTERM for long verbs: the first asks for a clean stop (finish the
/// segment, complete the upload), the second aborts.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public StopSignals(CliOutput output, CancellationToken cancellationToken)
    {
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // we end the process ourselves, cleanly
            if (Interlocked.Increment(ref _received) == 1)
            {
                output.Notice("recorder: stopping: finishing the current segment (signal again to abort)");
                _stop.Cancel();
            }
            else
            {
                output.Notice("recorder: aborting");
                _abort.Cancel();
            }
        }
    }

    public CancellationToken Stop => _stop.Token;
    public CancellationToken Abort => _abort.Token;

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
