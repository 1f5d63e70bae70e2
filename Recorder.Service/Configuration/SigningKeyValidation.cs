using Microsoft.Extensions.Options;
using Recorder.Pipeline.Signing;

namespace Recorder.Service.Configuration;

/// <summary>
/// Refuses to start with a signing key the recording processes could not use (missing, not Ed25519, protected by a
/// passphrase): otherwise every recording would fail at its start, one by one.
/// </summary>
public sealed class SigningKeyValidation : IValidateOptions<RecorderServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, RecorderServiceOptions options)
    {
        if (options.SigningKey is not { Length: > 0 } path) return ValidateOptionsResult.Success;
        try
        {
            using var signer = ManifestSigner.Load(path);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return ValidateOptionsResult.Fail($"signing key {path}: {e.Message}");
        }
    }
}
