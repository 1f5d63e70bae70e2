using Microsoft.Extensions.Logging;

namespace Recorder.Pipeline.Events;

/// <summary>
/// Hands a recording's events to its observer, one at a time and in the order
/// they happen. The observer is called on the pipeline's own threads — once on
/// the live edge's clock thread, for the first frame — so it must return at
/// once: queue the event, do not write it to a pipe that may be full.
/// </summary>
internal sealed class RecordingEventEmitter(Action<RecordingEvent>? observer, ILogger log)
{
    // Serialises calls: a segment finishing in the background and the main loop may report at the same moment.
    private readonly Lock _gate = new();

    public void Emit(RecordingEvent e)
    {
        if (observer is null) return;
        lock (_gate)
        {
            try
            {
                observer(e);
            }
            catch (Exception ex)
            {
                // Reporting must never end a recording: the media, the upload and the manifest
                // do not depend on anyone hearing about them.
                log.LogWarning("could not report the {Event} event: {Message}", e.Event, ex.Message);
            }
        }
    }
}
