namespace Recorder.Storage;

/// <summary>A bucket's versioning state (GetBucketVersioning); an Object Lock bucket is always <see cref="Enabled"/>.</summary>
public enum BucketVersioningStatus
{
    /// <summary>Versioning was never enabled: one object per key.</summary>
    Off,

    /// <summary>Every PUT adds a version; older versions stay.</summary>
    Enabled,

    /// <summary>Once enabled, now suspended: a PUT replaces the "null" version; older versions stay.</summary>
    Suspended,
}
