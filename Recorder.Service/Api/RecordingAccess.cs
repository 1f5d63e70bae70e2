using Microsoft.AspNetCore.Http;
using Recorder.Service.Auth;
using Recorder.Service.Store;

namespace Recorder.Service.Api;

/// <summary>Which recordings a caller may see: a host its own, operators and auditors every host's.</summary>
internal static class RecordingAccess
{
    /// <summary>The recording if the caller may see it; another host's is treated as missing.</summary>
    public static async Task<RecordingRecord?> VisibleAsync(string id, HttpContext context, IRecorderStore store, CancellationToken cancellationToken)
    {
        if (id.Length > 64) return null;
        var recording = await store.GetRecordingAsync(id, cancellationToken);
        var caller = Caller.From(context.User);
        return recording is not null && (caller.OwnHostId is null || recording.HostId == caller.OwnHostId) ? recording : null;
    }
}
