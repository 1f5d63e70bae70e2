using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Recorder.Service.Api;

namespace Recorder.Service.Web;

/// <summary>
/// The playback page at /play/: the files web/build.mjs built into web/dist (committed), embedded in this assembly,
/// so a published service carries them. Served with a strict Content-Security-Policy: only this origin's scripts,
/// styles and API; media from the page's own MediaSource (blob:); no framing, no plugins, no form posts.
/// </summary>
public static class PlaybackPage
{
    public const string Path = "/play/";

    /// <summary>The page's policy (web/build.mjs puts the same one, less frame-ancestors, in a &lt;meta&gt; for static hosting).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob:; " +
        "img-src 'self'; form-action 'none'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["worker.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, PageFile>> Files = new(Load);

    public static void MapPlaybackPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Redirect(Path)).ExcludeFromDescription();
        // Browsers ask for it by themselves; the page has none, and a 404 would be an error in its console.
        app.MapGet("/favicon.ico", () => TypedResults.NoContent()).ExcludeFromDescription();
        // One route: routing does not tell /play from /play/, and the page's relative URLs need the slash.
        app.MapGet(Path + "{file?}", (string? file, HttpContext context) => file is not null ? Serve(context, file)
            : context.Request.Path.Value?.EndsWith('/') == true ? Serve(context, "index.html") : TypedResults.Redirect(Path)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext context, string name)
    {
        if (!Files.Value.TryGetValue(name, out var file)) return Problems.NotFound($"file {name} in the playback page");
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (context.Request.Headers.IfNoneMatch == file.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, PageFile> Load()
    {
        var assembly = typeof(PlaybackPage).Assembly;
        var files = new Dictionary<string, PageFile>(StringComparer.Ordinal);
        foreach (var (name, type) in ContentTypes)
        {
            using var stream = assembly.GetManifestResourceStream("web/" + name)
                ?? throw new InvalidOperationException($"the playback page's {name} is not embedded: build web/ (npm ci && node build.mjs) before the service");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var content = memory.ToArray();
            files[name] = new PageFile(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record PageFile(byte[] Content, string ContentType, string ETag);
}
