using Microsoft.Extensions.Logging;

namespace Recorder.Cli.IO;

/// <summary>
/// Library log lines on the CLI's stderr: information as <c>recorder: …</c>,
/// warnings and errors as <c>recorder: warning: …</c>. A failure that ends the
/// command is printed once, by the command, so entries carrying the exception
/// that is about to be reported are left out.
/// </summary>
internal sealed class CliLogger(CliOutput output, LogLevel minimum = LogLevel.Information) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || exception is not null) return;
        var message = formatter(state, null);
        if (logLevel >= LogLevel.Warning) output.Warning(message);
        else output.Notice($"recorder: {message}");
    }
}
