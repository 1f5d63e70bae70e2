using System.CommandLine;
using Recorder.Pipeline.Signing;

namespace Recorder.Cli.Commands;

/// <summary><c>--signing-key FILE</c> (or <c>RECORDER_SIGNING_KEY</c>): the recorder's OpenSSH Ed25519 key that signs manifests.</summary>
internal static class SigningKeyArgument
{
    public static Option<string?> Create() => new("--signing-key")
    {
        Description = $"sign each manifest with this OpenSSH Ed25519 private key (ssh-keygen -t ed25519 -N ''; or ${ManifestSigner.KeyVariable})",
        HelpName = "FILE",
    };

    /// <summary>The path given by the flag or the environment, or null when neither is set.</summary>
    public static string? Path(CliContext context, string? flag) =>
        flag ?? (context.Console.Environment(ManifestSigner.KeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);

    /// <summary>Loads the key before anything starts: a bad key file is a usage error (exit 2), not a failed recording.</summary>
    public static ManifestSigner? Load(CliContext context, string? flag)
    {
        if (Path(context, flag) is not { } path) return null;
        try
        {
            return ManifestSigner.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            throw CliException.Usage($"--signing-key {path}: {e.Message}", "make one with: ssh-keygen -t ed25519 -N '' -C recorder -f FILE");
        }
    }
}
