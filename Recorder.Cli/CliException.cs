namespace Recorder.Cli;

/// <summary>A failure the CLI reports as <c>recorder: error:</c> (and a hint) with its exit code.</summary>
public sealed class CliException(string message, string? hint = null, int exitCode = CliExitCodes.Failure) : Exception(message)
{
    public string? Hint { get; } = hint;
    public int ExitCode { get; } = exitCode;

    /// <summary>Further error lines after the message (e.g. one per field of a request the service refused), before the hint.</summary>
    public IReadOnlyList<string> MoreMessages { get; init; } = [];

    public static CliException Usage(string message, string? hint = null) => new(message, hint, CliExitCodes.Usage);
}

/// <summary>The exit codes of the CLI contract.</summary>
public static class CliExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Violation = 3;

    /// <summary>
    /// Partial: <c>decrypt</c> of a file cut short (no final chunk) wrote the authenticated
    /// prefix, the plaintext of every complete chunk before the cut, and committed it; the
    /// rest of the file is missing. Any other damage is <see cref="Failure"/>, with no output.
    /// </summary>
    public const int Partial = 4;
}
