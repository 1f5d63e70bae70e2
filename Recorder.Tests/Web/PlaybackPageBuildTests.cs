using System.Security.Cryptography;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Web;

/// <summary>
/// The committed page (web/dist, what the service embeds and serves) is what its pinned toolchain builds from
/// web/src: npm ci from web/package-lock.json (esbuild, age-encryption, @noble/ciphers, @scure/base at exact
/// versions), then web/build.mjs into a fresh folder, byte for byte.
/// </summary>
/// <remarks>In the Ceph collection (one class at a time) though it needs no S3: its npm ci replaces web/node_modules, which <see cref="PlaybackElsewhereTests"/> builds from.</remarks>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlaybackPageBuildTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string Web = Path.Combine(RepositoryPaths.Root, "web");
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("recorder-web-");

    [Fact]
    public async Task The_committed_page_is_what_the_pinned_toolchain_builds()
    {
        var ci = await ProcessRunner.RunAsync("npm", ["ci", "--prefix", Web, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
            TimeSpan.FromMinutes(5));
        Assert.True(ci.ExitCode == 0, ci.StandardError);
        var build = await ProcessRunner.RunAsync("node", [Path.Combine(Web, "build.mjs"), "--outdir", _out.FullName], TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string?> { ["RECORDER_API_ORIGIN"] = null });
        Assert.True(build.ExitCode == 0, build.StandardError);

        var committed = Directory.GetFiles(Path.Combine(Web, "dist")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["app.css", "app.js", "index.html", "worker.js"], committed);
        Assert.Equal(committed, Directory.GetFiles(_out.FullName).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        foreach (var name in committed)
        {
            var expected = Hash(Path.Combine(Web, "dist", name));
            var rebuilt = Hash(Path.Combine(_out.FullName, name));
            log.WriteLine($"{name}: committed {expected}, rebuilt {rebuilt}");
            Assert.True(expected == rebuilt, $"web/dist/{name} differs from what 'npm ci && node build.mjs' builds: rebuild it and commit");
        }
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => _out.Delete(recursive: true);
}
