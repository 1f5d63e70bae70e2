using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Crypto.Signing;

/// <summary>
/// Keys made by the real ssh-keygen (Debian openssh-client, localstack/install.sh
/// base) in a temporary folder deleted afterwards: the signer's and another
/// Ed25519 key, an RSA key and a passphrase-protected Ed25519 key, and an
/// allowed_signers file naming the signer. Shared by the tests of a class.
/// </summary>
public sealed class SshKeygenKeys : IAsyncLifetime
{
    public const string Namespace = "recorder-manifest";
    public const string SignerIdentity = "signer@recorder";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Folder { get; } = Directory.CreateTempSubdirectory("recorder-sshsig-").FullName;
    public string Signer => PathOf("signer");
    public string Other => PathOf("other");
    public string Rsa => PathOf("rsa");
    public string Protected => PathOf("protected");
    public string AllowedSigners => PathOf("allowed_signers");

    public string PathOf(string name) => Path.Combine(Folder, name);

    public async Task InitializeAsync()
    {
        await NewKeyAsync(Signer, "ed25519", "", SignerIdentity);
        await NewKeyAsync(Other, "ed25519", "", "other@recorder");
        await NewKeyAsync(Rsa, "rsa", "", "rsa@recorder", "-b", "2048");
        await NewKeyAsync(Protected, "ed25519", "a passphrase", "protected@recorder");
        File.WriteAllText(AllowedSigners, $"{SignerIdentity} {File.ReadAllText(Signer + ".pub").Trim()}\n");
    }

    /// <summary>Runs ssh-keygen with <paramref name="input"/> on its standard input.</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, byte[]? input = null) =>
        ProcessRunner.RunAsync("ssh-keygen", arguments, Timeout, standardInput: input ?? []);

    /// <summary><c>ssh-keygen -Y sign</c> of <paramref name="message"/> (read from standard input) with a key of this fixture.</summary>
    public async Task<string> SignAsync(string key, byte[] message, string @namespace = Namespace, params string[] options)
    {
        var result = await RunAsync(["-Y", "sign", "-f", key, "-n", @namespace, .. options], message);
        Assert.True(result.ExitCode == 0, $"ssh-keygen -Y sign failed: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>
    /// <c>ssh-keygen -Y verify</c> against the allowed_signers file, as an auditor
    /// runs it: the exit code and what it printed on both streams.
    /// </summary>
    public async Task<(int ExitCode, string Output)> VerifyAsync(string armored, byte[] message)
    {
        var signature = PathOf($"verify-{Guid.NewGuid():N}.sig");
        File.WriteAllText(signature, armored);
        try
        {
            var result = await RunAsync(
                ["-Y", "verify", "-f", AllowedSigners, "-I", SignerIdentity, "-n", Namespace, "-s", signature], message);
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        finally
        {
            File.Delete(signature);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task NewKeyAsync(string path, string type, string passphrase, string comment, params string[] more)
    {
        var result = await RunAsync(["-q", "-t", type, "-N", passphrase, "-C", comment, "-f", path, .. more]);
        Assert.True(result.ExitCode == 0, $"ssh-keygen -t {type} failed: {result.StandardError}");
    }
}
