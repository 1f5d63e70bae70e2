using System.Text.Json.Serialization;

namespace Recorder.Cli;

/// <summary>
/// The documents <c>--json</c> prints (indented, camelCase), source-generated:
/// no reflection, so the CLI compiles ahead of time (README, "CLI"). Property
/// order is the order printed; the names are a contract with scripts.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(InspectDocument))]
[JsonSerializable(typeof(Recorder.Pipeline.Audit.RecordingVerification))]
[JsonSerializable(typeof(Recorder.Pipeline.Audit.AuditReport))]
[JsonSerializable(typeof(RecordDocument))]
[JsonSerializable(typeof(Api.HostAddedDocument))]
[JsonSerializable(typeof(Api.HostTokenDocument))]
[JsonSerializable(typeof(Api.HostListDocument))]
[JsonSerializable(typeof(Api.HostSetDocument))]
[JsonSerializable(typeof(Api.AuditorAddedDocument))]
[JsonSerializable(typeof(Api.AuditorListDocument))]
[JsonSerializable(typeof(Api.ScheduleDocument))]
[JsonSerializable(typeof(Api.StatusDocument))]
[JsonSerializable(typeof(Api.RecordingListDocument))]
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary><c>recorder inspect --json</c>.</summary>
internal sealed record InspectDocument(
    string Version,
    int HeaderBytes,
    IReadOnlyList<string> Stanzas,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> KmsKeys,
    IReadOnlyList<string> KmsEncryptionContexts,
    long CiphertextBytes,
    long? PlaintextBytes,
    long? Chunks);

/// <summary><c>recorder record --json</c>.</summary>
internal sealed record RecordDocument(string RecordingId, string Manifest, IReadOnlyList<string> Segments, long VideoFramesDropped);
