using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Recorder.Tests.Infrastructure;

/// <summary>Sends a component's log to the test's output, so a failing test shows what the component saw.</summary>
public sealed class TestOutputLogger(ITestOutputHelper output, string category) : ILogger
{
    private readonly DateTime _start = DateTime.UtcNow;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        try
        {
            output.WriteLine($"[{(DateTime.UtcNow - _start).TotalSeconds,6:0.00} s] {category} {logLevel}: {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; xunit no longer takes output.
        }
    }
}
