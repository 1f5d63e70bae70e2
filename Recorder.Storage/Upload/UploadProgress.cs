namespace Recorder.Storage;

/// <summary>
/// A snapshot of a sink's counters. <see cref="BufferedBytes"/> is data
/// accepted from the writer and not yet acknowledged by S3;
/// <see cref="ReservedBytes"/> is the memory held in part buffers for it (the
/// quantity <see cref="MultipartUploadOptions.MemoryBudgetBytes"/> bounds).
/// </summary>
public sealed record UploadProgress(
    long AcceptedBytes,
    long UploadedBytes,
    int PartsUploaded,
    int PartsInFlight,
    int Retries,
    long BufferedBytes,
    long PeakBufferedBytes,
    long ReservedBytes,
    long PeakReservedBytes);
