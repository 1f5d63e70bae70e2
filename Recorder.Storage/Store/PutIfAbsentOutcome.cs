namespace Recorder.Storage;

/// <summary>What a PUT with <c>If-None-Match: *</c> came to.</summary>
public enum PutIfAbsentOutcome
{
    /// <summary>200: the object was stored. In a versioned bucket on Ceph this may only mean a version was added (the condition is ignored there).</summary>
    Created,

    /// <summary>412 PreconditionFailed: the key already had an object; nothing was stored.</summary>
    AlreadyExists,

    /// <summary>409 ConditionalRequestConflict (AWS): another conditional write to the key was in progress; nothing was stored, try again.</summary>
    Conflict,
}
