using Recorder.Crypto;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;

namespace Recorder.Cli.Commands;

/// <summary>Turns -r and -i arguments into recipients and identities, with the contract's errors.</summary>
internal static class KeyArguments
{
    public static IReadOnlyList<IRecipient> Recipients(IReadOnlyList<string> texts, CliContext context)
    {
        if (texts.Count == 0) throw CliException.Usage("at least one -r RECIPIENT is required", "-r age1… or -r kms:KEY-ARN");
        var recipients = new List<IRecipient>();
        foreach (var text in texts)
        {
            try
            {
                var kms = text.StartsWith("kms:", StringComparison.Ordinal) ? new KmsRecipientOptions { Client = context.Services.Kms } : null;
                recipients.Add(AgeRecipients.Parse(text, kms));
            }
            catch (FormatException e)
            {
                throw CliException.Usage($"-r {Shorten(text)}: {e.Message}", "-r age1… or -r kms:KEY-ARN");
            }
        }
        return recipients;
    }

    /// <summary>The identities of every file, then a KMS identity (used only for KMS stanzas, with the caller's AWS credentials).</summary>
    public static IReadOnlyList<IIdentity> Identities(IReadOnlyList<string> paths, CliContext context, List<IDisposable> owned)
    {
        var identities = new List<IIdentity>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new CliException($"no such identity file: {path}");
            if (AgeKeyFile.HasLoosePermissions(path))
                context.Output.Warning($"identity file {path} is accessible by group or others");
            IReadOnlyList<X25519Identity> read;
            try
            {
                read = AgeKeyFile.ReadIdentities(path);
            }
            catch (FormatException e)
            {
                throw new CliException($"identity file {path}: {e.Message}", "identity files are age-keygen's format (AGE-SECRET-KEY-1… lines)");
            }
            owned.AddRange(read);
            identities.AddRange(read);
        }
        identities.Add(new KmsIdentity(context.Services.Kms));
        return identities;
    }

    /// <summary>
    /// The KMS encryption context of files the CLI itself encrypts or re-wraps: the
    /// verb and a fresh id (recordings get recording id, segment and host instead).
    /// </summary>
    public static IReadOnlyDictionary<string, string> CliKmsContext(string verb) => new Dictionary<string, string>
    {
        ["recorder:origin"] = $"recorder-{verb}",
        ["recorder:file-id"] = Guid.NewGuid().ToString("N"),
    };

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..20] + "…";
}
