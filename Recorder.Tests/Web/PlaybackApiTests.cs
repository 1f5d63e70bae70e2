using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Recorder.Service.Web;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// The API the playback page uses, on the real service and the local Ceph: the stored manifest, and a segment's
/// ciphertext by byte range (compared by SHA-256 with the object in S3), the refusals (another host's recording, no
/// token, ranges that select nothing), the page with its Content-Security-Policy, and CORS for a page hosted elsewhere.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlaybackApiTests(CephFixture ceph, ITestOutputHelper log) : IAsyncLifetime
{
    private const string PageOrigin = "http://127.0.0.1:9";
    private PlaybackSetup _setup = null!;

    public async Task InitializeAsync() =>
        _setup = await PlaybackSetup.StartAsync(ceph, "playapi", log, new Dictionary<string, string?> { ["RECORDER_PAGE_ORIGINS"] = PageOrigin });

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Ranges_of_a_segment_are_the_stored_ciphertext_and_the_manifest_is_the_stored_one()
    {
        var (uri, size) = _setup.FirstSegment;
        var stored = await ceph.ReadObjectAsync(uri);
        Assert.Equal(size, stored.Length);
        using var client = _setup.Service.Client(_setup.Token);
        var segment = $"/recordings/{_setup.RecordingId}/segments/1";

        using (var whole = await client.GetAsync(segment))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
            Assert.Equal(Hash(stored), Hash(await whole.Content.ReadAsByteArrayAsync()));
        }
        foreach (var (header, first, last) in new[]
                 {
                     ("bytes=0-99", 0L, 99L), ($"bytes=100-{size + 500}", 100L, size - 1), ("bytes=65536-", 65536L, size - 1),
                     ("bytes=-1000", size - 1000, size - 1), ($"bytes={size - 1}-{size - 1}", size - 1, size - 1),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, segment);
            request.Headers.TryAddWithoutValidation("Range", header);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal($"bytes {first}-{last}/{size}", response.Content.Headers.ContentRange!.ToString());
            Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
            Assert.Equal(Hash(stored.AsSpan((int)first, (int)(last - first + 1))), Hash(await response.Content.ReadAsByteArrayAsync()));
        }

        var manifestUri = _setup.Recording.GetProperty("manifest").GetString()!;
        var manifest = await client.GetByteArrayAsync($"/recordings/{_setup.RecordingId}/manifest");
        Assert.Equal(Hash(await ceph.ReadObjectAsync(manifestUri)), Hash(manifest));
        using var parsed = JsonDocument.Parse(manifest);
        Assert.True(parsed.RootElement.GetProperty("segments")[0].GetProperty("fragments").GetArrayLength() > 1);
    }

    [Theory]
    [InlineData("bytes=999999999-", "past the end")]
    [InlineData("bytes=0-1,5-9", "one range per request")]
    [InlineData("items=0-1", "the range unit must be bytes")]
    [InlineData("bytes=abc", "is not a byte range")]
    [InlineData("bytes=-0", "selects no byte")]
    public async Task A_range_that_selects_nothing_here_is_416_with_the_size(string header, string detail)
    {
        var (_, size) = _setup.FirstSegment;
        using var client = _setup.Service.Client(_setup.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{_setup.RecordingId}/segments/1");
        request.Headers.TryAddWithoutValidation("Range", header);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_hosts_recording_is_404_and_no_token_is_401()
    {
        var (_, recipient) = _setup.Files.NewIdentity("other.key");
        var (_, otherToken) = await _setup.Service.AddHostAsync("Mallory", [recipient]);
        using var other = _setup.Service.Client(otherToken);
        using var anonymous = _setup.Service.Client(token: null);
        foreach (var path in new[] { $"/recordings/{_setup.RecordingId}/manifest", $"/recordings/{_setup.RecordingId}/segments/1" })
        {
            using var notFound = await other.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
            Assert.Equal($"no recording {_setup.RecordingId}", JsonDocument.Parse(await notFound.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
            using var unauthorized = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }
        using var mine = _setup.Service.Client(_setup.Token);
        foreach (var number in new[] { "2", "0", "-1", "x", "99999999999" })
        {
            using var missing = await mine.GetAsync($"/recordings/{_setup.RecordingId}/segments/{number}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task The_page_is_served_with_its_policy_and_a_page_elsewhere_gets_cors_only_from_its_origin()
    {
        using var anonymous = _setup.Service.Client(token: null);
        foreach (var file in new[] { "", "app.js", "worker.js", "app.css" })
        {
            using var response = await anonymous.GetAsync(PlaybackPage.Path + file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(PlaybackPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var committed = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "web", "dist", file.Length == 0 ? "index.html" : file));
            Assert.Equal(Hash(committed), Hash(await response.Content.ReadAsByteArrayAsync()));
        }
        using (var missing = await anonymous.GetAsync(PlaybackPage.Path + "secret.txt")) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        foreach (var (origin, allowed) in new[] { (PageOrigin, true), ("http://127.0.0.1:10", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/recordings/{_setup.RecordingId}/segments/1");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,range");
            using var answer = await anonymous.SendAsync(preflight);
            log.WriteLine($"{origin}: {(int)answer.StatusCode} {answer.Headers}");
            Assert.Equal(allowed, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);

            using var client = _setup.Service.Client(_setup.Token);
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{_setup.RecordingId}/segments/1");
            get.Headers.Add("Origin", origin);
            get.Headers.Range = new RangeHeaderValue(0, 9);
            using var ranged = await client.SendAsync(get);
            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            Assert.Equal(allowed, ranged.Headers.TryGetValues("Access-Control-Expose-Headers", out var exposed) && exposed.Single().Contains("Content-Range", StringComparison.Ordinal));
        }
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
