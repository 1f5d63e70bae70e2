using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// The API of a real service (in-process Kestrel, embedded store, local Ceph):
/// who sees what, what a bad request gets back. No recording runs here: they
/// are scheduled a day ahead (ServiceRecordingTests run them).
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceApiTests(CephFixture ceph, ITestOutputHelper log) : IAsyncLifetime
{
    private const string AliceKey = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    private ServiceInstance _service = null!;
    private static readonly string Tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public async Task InitializeAsync() => _service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("api"), output: log);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Each_host_sees_only_its_own_recordings()
    {
        var (aliceId, alice) = await _service.AddHostAsync("Alice", [AliceKey]);
        var (_, bob) = await _service.AddHostAsync("Bob", [AliceKey]);
        var alices = await _service.ScheduleAsync(alice, new { meeting = "synthetic://", start = Tomorrow });
        var bobs = await _service.ScheduleAsync(bob, new { meeting = "synthetic://", start = Tomorrow });

        using var asAlice = _service.Client(alice);
        Assert.Equal(aliceId, (await _service.GetRecordingAsync(alice, alices)).GetProperty("hostId").GetString());
        // Bob's recording and one that does not exist answer the same.
        foreach (var id in new[] { bobs, "rec-20260101T000000Z-00000000" })
        {
            await AssertProblemAsync(await asAlice.GetAsync($"/recordings/{id}"), 404, $"no recording {id}");
            await AssertProblemAsync(await asAlice.PostAsync($"/recordings/{id}/stop", null), 404, $"no recording {id}");
            await AssertProblemAsync(await asAlice.DeleteAsync($"/recordings/{id}"), 404, $"no recording {id}");
        }
        Assert.Equal([alices], await IdsAsync(asAlice, "/recordings"));
        await AssertProblemAsync(await asAlice.GetAsync($"/recordings?host=host-bbbbbbbbbbbb"), 400, "host: a host lists only its own recordings; leave host out");

        using var asOperator = _service.Client();
        Assert.Equal([bobs, alices], await IdsAsync(asOperator, "/recordings"));
        var auditorToken = await CreatedTokenAsync(await asOperator.PostAsJsonAsync("/auditors", new { name = "Audit Co" }));
        using var asAuditor = _service.Client(auditorToken);
        Assert.Equal([bobs, alices], await IdsAsync(asAuditor, "/recordings"));
        Assert.Equal(HttpStatusCode.OK, (await asAuditor.GetAsync($"/recordings/{bobs}")).StatusCode);
        await AssertProblemAsync(await asAuditor.PostAsJsonAsync("/recordings", new { meeting = "synthetic://" }), 403, "this token's role may not do that");
        await AssertProblemAsync(await asAuditor.DeleteAsync($"/recordings/{bobs}"), 403, "this token's role may not do that");
        await AssertProblemAsync(await asAlice.GetAsync("/hosts"), 403, "this token's role may not do that");
    }

    [Fact]
    public async Task Missing_and_bogus_tokens_are_refused()
    {
        using var anonymous = _service.Client(token: null);
        var response = await anonymous.GetAsync("/recordings");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await AssertProblemAsync(response, 401, "no token: send Authorization: Bearer TOKEN");
        foreach (var bogus in new[] { "rec_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "nonsense", ServiceInstance.DefaultOperatorToken + "x" })
        {
            using var client = _service.Client(bogus);
            await AssertProblemAsync(await client.GetAsync("/recordings"), 401, "the token is not valid");
        }
    }

    [Fact]
    public async Task A_rotated_token_stops_working_at_once()
    {
        var (hostId, first) = await _service.AddHostAsync("Carol", [AliceKey]);
        using var asOperator = _service.Client();
        var second = await CreatedTokenAsync(await asOperator.PostAsync($"/hosts/{hostId}/token", null));
        using var old = _service.Client(first);
        await AssertProblemAsync(await old.GetAsync("/recordings"), 401, "the token is not valid");
        using var current = _service.Client(second);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/hosts/me")).StatusCode);
    }

    public static TheoryData<string, string, int, string> BadRequests => new()
    {
        { "application/json", """{"meeting": """, 400, "the body is not valid JSON (line 1, byte 13, at $.meeting)" },
        { "application/json", """{"meeting": 5}""", 400, "wrong type at $.meeting: expected a string" },
        { "application/json", """{"meeting": "synthetic://", "color": "red"}""", 400, "unknown property 'color' (known: meeting, start, maxDuration, layout, size, host)" },
        { "application/json", """["synthetic://"]""", 400, "wrong type: expected a JSON object" },
        { "application/json", "null", 400, "the body is null: send a JSON object" },
        { "application/json", "", 400, "the body is not valid JSON (line 1, byte 1)" },
        { "text/plain", """{"meeting": "synthetic://"}""", 415, "the body must be JSON" },
        { "application/json", """{"meeting": "rtmp://127.0.0.1/live"}""", 400, "meeting: unknown meeting scheme 'rtmp' (known: synthetic, janus)" },
        { "application/json", """{"meeting": "janus://192.168.1.10:8088/janus?room=1"}""", 400,
            "meeting: the meeting server 192.168.1.10 is not on the service's allow-list (127.0.0.0/8, ::1, localhost)" },
        { "application/json", """{"meeting": "synthetic://", "start": "2001-01-01T00:00:00Z"}""", 400, "start: 2001-01-01 00:00:00Z is in the past" },
        { "application/json", """{"meeting": "synthetic://", "maxDuration": "400d"}""", 400, "maxDuration: '400d' is not a duration: write 90s, 10m, 1h or hh:mm:ss" },
        { "application/json", """{"meeting": "synthetic://", "maxDuration": "100000h"}""", 400, "maxDuration: 100000h is outside 1s to 24h" },
        { "application/json", """{"meeting": "synthetic://", "size": "1x1", "layout": "mosaic"}""", 400,
            "layout: 'mosaic' is not a layout: gallery or speaker; size: '1x1' is not a size: even WxH between 160x90 and 3840x2160, e.g. 1280x720" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_says_what_to_fix(string contentType, string body, int status, string detail)
    {
        var (_, token) = await _service.AddHostAsync("Dan", [AliceKey]);
        using var client = _service.Client(token);
        var response = await client.PostAsync("/recordings", new StringContent(body, Encoding.UTF8, contentType));
        await AssertProblemAsync(response, status, detail, prefixOnly: detail.EndsWith("in the past", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_without_reading_it()
    {
        var (_, token) = await _service.AddHostAsync("Eve", [AliceKey]);
        using var client = _service.Client(token);
        var body = JsonSerializer.Serialize(new { meeting = "synthetic://?names=" + new string('a', 70_000) });
        await AssertProblemAsync(await client.PostAsync("/recordings", new StringContent(body, Encoding.UTF8, "application/json")), 413,
            "the request body is too large");
    }

    [Theory]
    [InlineData("""{"name": "F", "recipients": ["age1nope"]}""", "recipients: 'age1nope': not a valid age X25519 recipient: the age1… key is damaged or mistyped")]
    [InlineData("""{"name": "F"}""", "recipients: required: the host's age1… public key(s), or kmsKey with a KMS key ARN")]
    [InlineData("""{"name": "F", "recipients": ["kms:arn:aws:kms:us-east-1:1:key/k"], "kmsKey": "arn:aws:kms:us-east-1:1:key/k"}""",
        "kmsKey: give recipients or kmsKey, not both (a KMS key may also be a recipient: kms:ARN)")]
    [InlineData("""{"name": "", "recipients": ["kms:arn:aws:kms:us-east-1:1:key/k"]}""", "name: required: a name to tell this principal by (not used in object keys)")]
    [InlineData("""{"name": "F", "kmsKey": "arn:aws:kms:us-east-1:1:key/k", "webhookUrl": "http://169.254.169.254/hook"}""",
        "webhookUrl: 169.254.169.254 is not on the service's allow-list (127.0.0.0/8, ::1, localhost)")]
    [InlineData("""{"name": "F", "kmsKey": "arn:aws:kms:us-east-1:1:key/k", "displayName": "\u0007"}""",
        "displayName: 1 to 64 characters, no control characters (participants see it next to the recorder)")]
    public async Task A_host_is_registered_only_with_usable_keys(string body, string detail)
    {
        using var client = _service.Client();
        await AssertProblemAsync(await client.PostAsync("/hosts", new StringContent(body, Encoding.UTF8, "application/json")), 400, detail);
    }

    [Fact]
    public async Task A_recording_that_has_not_started_is_cancelled_not_stopped()
    {
        var (_, token) = await _service.AddHostAsync("Gus", [AliceKey]);
        var id = await _service.ScheduleAsync(token, new { meeting = "synthetic://", start = Tomorrow });
        using var client = _service.Client(token);
        var stop = await client.PostAsync($"/recordings/{id}/stop", null);
        var problem = await AssertProblemAsync(stop, 409, $"recording {id} has not started");
        Assert.Equal($"DELETE /recordings/{id} cancels it", problem.GetProperty("hint").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/recordings/{id}")).StatusCode);
        await AssertProblemAsync(await client.GetAsync($"/recordings/{id}"), 404, $"no recording {id}");
    }

    [Fact]
    public async Task The_schedule_survives_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("recorder-restart-").FullName;
        try
        {
            string token, id, before;
            await using (var first = await ServiceInstance.StartAsync(ceph, _service.Bucket, output: log, stateDirectory: folder))
            {
                (_, token) = await first.AddHostAsync("Hal", [AliceKey]);
                id = await first.ScheduleAsync(token, new { meeting = "synthetic://", start = Tomorrow, maxDuration = "30m" });
                before = (await first.GetRecordingAsync(token, id)).ToString();
            }

            await using var second = await ServiceInstance.StartAsync(ceph, _service.Bucket, output: log, stateDirectory: folder);
            var after = await second.GetRecordingAsync(token, id); // the host's token works after the restart too
            Assert.Equal(before, after.ToString());
            Assert.Equal("scheduled", after.GetProperty("state").GetString());
            // And Hangfire has the job again, for its time.
            var scheduled = second.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10);
            var job = Assert.Single(scheduled);
            Assert.Equal(after.GetProperty("startAt").GetDateTimeOffset().UtcDateTime, job.Value.EnqueueAt, TimeSpan.FromSeconds(1));
            Assert.Equal(id, job.Value.Job.Args[0]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_listing_goes_on_past_a_recording_cancelled_between_its_pages()
    {
        var (_, token) = await _service.AddHostAsync("Jon", [AliceKey]);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await _service.ScheduleAsync(token, new { meeting = "synthetic://", start = Tomorrow }));
        using var client = _service.Client(token);
        using var first = JsonDocument.Parse(await client.GetStringAsync("/recordings?limit=2"));
        Assert.Equal([ids[2], ids[1]], first.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("recordingId").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/recordings/{ids[1]}")).StatusCode); // the cursor's own recording
        var next = first.RootElement.GetProperty("next").GetString();
        Assert.Equal([ids[0]], await IdsAsync(client, $"/recordings?limit=2&after={next}"));
        await AssertProblemAsync(await client.GetAsync("/recordings?after=bm9wZQ"), 400, "after: not a cursor of this listing: pass the 'next' value of the previous page");
        await AssertProblemAsync(await client.GetAsync("/recordings?limit=many"), 400, "limit: a whole number from 1 to 200");
        await AssertProblemAsync(await client.GetAsync("/recordings?state=done"), 400,
            "state: 'done' is not a state: scheduled, joining, recording, finalizing, completed, failed");
    }

    [Fact]
    public async Task The_service_describes_itself_and_reports_readiness_and_metrics()
    {
        using var anonymous = _service.Client(token: null);
        using var openApi = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = openApi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Superset(new HashSet<string> { "/recordings", "/recordings/{id}", "/recordings/{id}/stop", "/hosts", "/hosts/{id}/token", "/auditors" }, paths.ToHashSet());

        using var ready = JsonDocument.Parse(await anonymous.GetStringAsync("/readyz"));
        Assert.Equal("ready", ready.RootElement.GetProperty("status").GetString());
        Assert.Equal(["healthy", "healthy", "healthy"], new[] { "s3", "job-storage", "programs" }.Select(c => ready.RootElement.GetProperty("checks").GetProperty(c).GetProperty("status").GetString()));
        Assert.Equal("alive", JsonDocument.Parse(await anonymous.GetStringAsync("/healthz")).RootElement.GetProperty("status").GetString());

        var metrics = await anonymous.GetStringAsync("/metrics");
        foreach (var name in new[] { "recorder_recordings_active", "recorder_recordings_queued", "recorder_recordings_scheduled", "recorder_video_frames_dropped_total",
                     "recorder_upload_parts_in_flight", "recorder_upload_retries_total", "recorder_uploaded_bytes_total" })
            Assert.Contains($"\n{name} ", "\n" + metrics);
    }

    [Fact]
    public async Task A_service_whose_bucket_is_missing_is_alive_but_not_ready()
    {
        await using var broken = await ServiceInstance.StartAsync(ceph, "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], output: log);
        using var anonymous = broken.Client(token: null);
        var response = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var s3 = body.RootElement.GetProperty("checks").GetProperty("s3");
        Assert.Equal("unhealthy", s3.GetProperty("status").GetString());
        Assert.StartsWith($"bucket {broken.Bucket}: ", s3.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_is_the_operators()
    {
        var (_, host) = await _service.AddHostAsync("Ivy", [AliceKey]);
        using var anonymous = _service.Client(token: null);
        var challenge = await anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("Basic", challenge.Headers.WwwAuthenticate.Single().Scheme);
        using var asHost = _service.Client(host);
        Assert.Equal(HttpStatusCode.Forbidden, (await asHost.GetAsync("/hangfire")).StatusCode);
        using var browser = _service.Client(token: null);
        browser.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + ServiceInstance.DefaultOperatorToken)));
        var page = await browser.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Recorder jobs", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_token_is_rate_limited()
    {
        await using var limited = await ServiceInstance.StartAsync(ceph, _service.Bucket, environment: new Dictionary<string, string?>
        {
            ["RECORDER_RATE_LIMIT_PER_SECOND"] = "1",
            ["RECORDER_RATE_LIMIT_BURST"] = "3",
        }, output: log);
        using var client = limited.Client();
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++) statuses.Add((int)(await client.GetAsync("/hosts")).StatusCode);
        Assert.Equal([200, 200, 200], statuses[..3]);
        var refused = await client.GetAsync("/hosts");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), refused.Headers.ToString());
        await AssertProblemAsync(refused, 429, "too many requests for this token");
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string detail, bool prefixOnly = false)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (prefixOnly) Assert.StartsWith(detail, problem.GetProperty("detail").GetString());
        else Assert.Equal(detail, problem.GetProperty("detail").GetString());
        return problem;
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string path)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(path));
        return document.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("recordingId").GetString()!).ToList();
    }

    private static async Task<string> CreatedTokenAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }
}
