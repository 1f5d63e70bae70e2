using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;

namespace Recorder.Tests.Cli;

/// <summary>A temporary folder with identities and files for CLI tests; deleted afterwards.</summary>
public sealed class CliFiles : IDisposable
{
    public CliFiles()
    {
        Folder = Directory.CreateTempSubdirectory("recorder-cli-").FullName;
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Writes a new identity file (mode 0600) and returns its path and public key.</summary>
    public (string Path, string Recipient) NewIdentity(string name)
    {
        using var identity = X25519Identity.Generate();
        var path = PathOf(name);
        File.WriteAllBytes(path, []);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var writer = new StreamWriter(path))
        {
            AgeKeyFile.WriteIdentity(writer, identity, DateTimeOffset.UtcNow);
        }
        return (path, identity.Recipient.ToString());
    }

    public string Write(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public IReadOnlyList<string> Listing() => Directory.GetFiles(Folder).Select(Path.GetFileName).Order().ToArray()!;

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
