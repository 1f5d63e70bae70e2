using System.Reflection;
using System.Text.Json;
using CliApi = Recorder.Cli.Api;
using ServiceApi = Recorder.Service.Api;

namespace Recorder.Tests.Cli;

/// <summary>
/// The CLI keeps its own copies of the service's wire shapes (it may not reference
/// the service, and it is compiled ahead of time). These tests fail as soon as the
/// two drift apart: same properties, same order, same types; and a fully populated
/// answer of the service reads back, value for value, through the CLI's strict
/// source-generated context.
/// </summary>
public sealed class ApiWireShapeTests
{
    public static TheoryData<Type, Type> Pairs() => new()
    {
        { typeof(CliApi.CreateRecordingRequest), typeof(ServiceApi.CreateRecordingRequest) },
        { typeof(CliApi.RecordingCreated), typeof(ServiceApi.RecordingCreated) },
        { typeof(CliApi.RecordingView), typeof(ServiceApi.RecordingView) },
        { typeof(CliApi.RecordingTimes), typeof(ServiceApi.RecordingTimes) },
        { typeof(CliApi.SegmentView), typeof(ServiceApi.SegmentView) },
        { typeof(CliApi.RecordingList), typeof(ServiceApi.RecordingList) },
        { typeof(CliApi.CreateHostRequest), typeof(ServiceApi.CreateHostRequest) },
        { typeof(CliApi.UpdateHostRequest), typeof(ServiceApi.UpdateHostRequest) },
        { typeof(CliApi.HostView), typeof(ServiceApi.HostView) },
        { typeof(CliApi.HostCreated), typeof(ServiceApi.HostCreated) },
        { typeof(CliApi.HostUpdated), typeof(ServiceApi.HostUpdated) },
        { typeof(CliApi.TokenIssued), typeof(ServiceApi.TokenIssued) },
        { typeof(CliApi.CreateAuditorRequest), typeof(ServiceApi.CreateAuditorRequest) },
        { typeof(CliApi.AuditorView), typeof(ServiceApi.AuditorView) },
        { typeof(CliApi.AuditorCreated), typeof(ServiceApi.AuditorCreated) },
        { typeof(CliApi.RetentionRequest), typeof(ServiceApi.RetentionRequest) },
        { typeof(CliApi.LegalHoldRequest), typeof(ServiceApi.LegalHoldRequest) },
        { typeof(CliApi.LegalHoldView), typeof(ServiceApi.LegalHoldView) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_cli_copy_has_the_services_properties_in_order_with_the_same_types(Type cli, Type service)
    {
        Assert.NotEmpty(Shape(service));
        Assert.Equal(Shape(service), Shape(cli));
    }

    [Fact]
    public void Every_wire_shape_of_the_service_has_a_cli_copy_or_is_known_to_be_unused()
    {
        var copied = Pairs().Select(row => ((Type)row[1]).Name).ToHashSet();
        var records = typeof(ServiceApi.RecordingView).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ServiceApi.RecordingView).Namespace && t.IsPublic && t.GetMethod("<Clone>$") is not null)
            .Select(t => t.Name)
            .Where(n => !copied.Contains(n))
            .Order();
        // ValidRecordingRequest is the validator's result, never on the wire.
        Assert.Equal(["ValidRecordingRequest"], records);
    }

    [Fact]
    public void A_completed_recording_as_the_service_writes_it_reads_back_through_the_clis_context()
    {
        var at = new DateTimeOffset(2026, 12, 24, 18, 0, 0, TimeSpan.Zero);
        var view = new ServiceApi.RecordingView("rec-1", "host-1", "janus://127.0.0.1:8088/janus?room=1&pin=redacted", "janus-1", "completed",
            "speaker", "640x360", 600, at, new ServiceApi.RecordingTimes(at, at.AddSeconds(1), at.AddSeconds(2), at.AddSeconds(60), at.AddSeconds(61), null),
            1.5, ["age1abc", "kms:arn:aws:kms:eu-west-1:1:key/k"],
            [new ServiceApi.SegmentView(1, "s3://b/host-1/janus-1/rec-1/segment-0001.mp4.age", 12345, "ab12", 0, 58.5, "stopped", Truncated: true)],
            "s3://b/host-1/janus-1/rec-1/manifest.json", 7, 12345, StopRequested: true, "stopped", null);
        // What ASP.NET Core's minimal APIs write: the web defaults.
        var json = JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var read = JsonSerializer.Deserialize(json, CliApi.ApiJson.Default.RecordingView)!;

        Assert.Equal(JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            JsonSerializer.Serialize(read, new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = CliApi.ApiJson.Default }));
        Assert.Equal("s3://b/host-1/janus-1/rec-1/segment-0001.mp4.age", Assert.Single(read.Segments).Uri);
        Assert.True(read.Segments[0].Truncated);
        Assert.Null(read.Error);
    }

    [Fact]
    public void An_answer_missing_a_field_fails_loudly_instead_of_reading_as_empty()
    {
        var json = """{"hostId":"host-1","name":"Ann","displayName":"x","webhookUrl":null,"createdAt":"2026-12-24T18:00:00Z"}""";
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, CliApi.ApiJson.Default.HostView));
        Assert.Contains("recipients", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_patch_leaves_out_what_it_does_not_change()
    {
        var json = JsonSerializer.Serialize(new CliApi.UpdateHostRequest("Ann", null, null, null, null, true), CliApi.ApiJson.Default.UpdateHostRequest);
        Assert.Equal("""{"name":"Ann","removeWebhook":true}""", json);
    }

    /// <summary>Property names as JSON writes them, and types by name (the CLI's nested copies have the service's names).</summary>
    private static string[] Shape(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .OrderBy(p => p.MetadataToken)
            .Select(p => $"{JsonNamingPolicy.CamelCase.ConvertName(p.Name)}: {TypeName(p.PropertyType)}")
            .ToArray();

    private static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : type.Name;
}
