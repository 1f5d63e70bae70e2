using System.Text.Json.Serialization;

namespace Recorder.Pipeline.Audit;

/// <summary>How bad a finding is: a violation fails <c>verify</c> and <c>audit</c> (exit 3); a warning or notice is reported only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity
{
    [JsonStringEnumMemberName("violation")]
    Violation,
    [JsonStringEnumMemberName("warning")]
    Warning,
    [JsonStringEnumMemberName("notice")]
    Notice,
}

/// <summary>
/// One thing an auditor should know about one object: a stable <paramref name="Code"/> (the report's finding class),
/// what it concerns (<paramref name="Subject"/>, an <c>s3://</c> URI), what was found in a sentence, and a command that
/// shows it again with stock tools where one exists.
/// </summary>
public sealed record AuditFinding(string Code, FindingSeverity Severity, string Subject, string Message, string? Reproduce = null);
