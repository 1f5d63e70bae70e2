using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Recorder.Service.Configuration;

namespace Recorder.Service.Auth;

/// <summary>
/// The operator's token: from configuration (RECORDER_OPERATOR_TOKEN or a
/// file), or generated once into the state folder (mode 0600) so a first
/// start needs no setup. Only its hash is kept in memory.
/// </summary>
public sealed class OperatorToken
{
    public const string FileName = "operator-token";
    public const int MinimumLength = 32;
    private readonly byte[] _hash;

    private OperatorToken(byte[] hash, string source)
    {
        _hash = hash;
        Source = source;
    }

    /// <summary>Where the token came from (for the start-up log line; never the token).</summary>
    public string Source { get; }

    public bool Matches(string presented) => ApiTokens.SameHash(ApiTokens.HashOf(presented), _hash);

    public static OperatorToken Load(RecorderServiceOptions options, string stateDirectory, ILogger logger)
    {
        if (options.OperatorToken is { Length: > 0 } configured) return FromText(configured, "RECORDER_OPERATOR_TOKEN");
        if (options.OperatorTokenFile is { Length: > 0 } file)
        {
            if (!File.Exists(file)) throw new InvalidOperationException($"the operator token file {file} does not exist");
            return FromText(File.ReadAllText(file).Trim(), file);
        }
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            var token = "rec_op_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using (var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(token + "\n");
            }
            logger.LogWarning("no operator token was configured: one was generated into {Path} (readable by this user only)", path);
        }
        return FromText(File.ReadAllText(path).Trim(), path);
    }

    private static OperatorToken FromText(string token, string source) =>
        token.Length >= MinimumLength
            ? new OperatorToken(ApiTokens.HashOf(token), source)
            : throw new InvalidOperationException($"the operator token from {source} is shorter than {MinimumLength} characters");
}
