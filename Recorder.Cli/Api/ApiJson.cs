using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recorder.Cli.Api;

/// <summary>
/// The service's wire format, source-generated (no reflection: the CLI is
/// compiled ahead of time). Web defaults as ASP.NET Core's (camelCase names);
/// nulls are left out of requests, because a PATCH reads an absent field as
/// "unchanged". Answers must carry every non-nullable field: a service whose
/// shapes drifted from these fails loudly instead of printing empty values.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CreateRecordingRequest))]
[JsonSerializable(typeof(RecordingCreated))]
[JsonSerializable(typeof(RecordingView))]
[JsonSerializable(typeof(RecordingList))]
[JsonSerializable(typeof(CreateHostRequest))]
[JsonSerializable(typeof(UpdateHostRequest))]
[JsonSerializable(typeof(HostView[]))]
[JsonSerializable(typeof(HostCreated))]
[JsonSerializable(typeof(HostUpdated))]
[JsonSerializable(typeof(TokenIssued))]
[JsonSerializable(typeof(HostView))]
[JsonSerializable(typeof(RetentionRequest))]
[JsonSerializable(typeof(LegalHoldRequest))]
[JsonSerializable(typeof(LegalHoldView))]
[JsonSerializable(typeof(CreateAuditorRequest))]
[JsonSerializable(typeof(AuditorView[]))]
[JsonSerializable(typeof(AuditorCreated))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class ApiJson : JsonSerializerContext;
