namespace Recorder.Storage;

/// <summary>
/// Durable upload state, implemented by the service (its job storage). The sink
/// calls <see cref="SaveAsync"/> after initiating, after every acknowledged
/// part, and once more when it completes or aborts, one call at a time, each
/// checkpoint a superset of the previous one. An exception from it fails the
/// upload (so an implementation should retry its own transient failures).
/// </summary>
public interface IUploadStateStore
{
    Task SaveAsync(UploadCheckpoint checkpoint, CancellationToken cancellationToken);
}
