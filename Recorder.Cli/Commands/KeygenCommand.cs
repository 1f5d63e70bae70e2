using System.CommandLine;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder keygen [-o FILE]</c>: a new X25519 identity in age-keygen's format
/// (to FILE, created owner-only and never overwritten, or stdout); the public key
/// on stderr as <c>Public key: age1…</c>, like age-keygen.
/// </summary>
public sealed class KeygenCommand : ICliCommand
{
    public Command Build(CliContext context)
    {
        var output = new Option<string?>("--output", "-o") { Description = "write the identity to FILE (created with mode 0600)", HelpName = "FILE" };
        var command = new Command("keygen", "create an age-compatible X25519 identity") { output };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(output);
            if (path is not null && (File.Exists(path) || Directory.Exists(path)))
                throw new CliException($"{path} already exists", "choose another name; keygen never overwrites a key");
            using var identity = X25519Identity.Generate();
            await WriteIdentityAsync(path, identity, context, ct);
            context.Output.Report($"Public key: {identity.Recipient}");
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes <paramref name="identity"/> in age-keygen's format to a new owner-only file, or to stdout when no path is given.</summary>
    internal static async Task WriteIdentityAsync(string? path, X25519Identity identity, CliContext context, CancellationToken cancellationToken)
    {
        var text = new StringWriter { NewLine = "\n" };
        AgeKeyFile.WriteIdentity(text, identity, DateTimeOffset.UtcNow);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text.ToString());
        try
        {
            await using var target = path is null ? null : OpenPrivate(path);
            var stream = target ?? context.Console.StandardOutput;
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static FileStream OpenPrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }
}
