using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Recorder.Service.Jobs;

/// <summary>
/// Hangfire logs through a process-wide static provider. Hangfire.NetCore sets
/// it to the ILoggerFactory of whichever host resolved Hangfire last, which
/// breaks once that host is disposed while another runs (tests start several
/// services in one process). This bridge is set once and looks up the newest
/// live host's factory when a message is written, not when a logger is made.
/// </summary>
public sealed class HangfireLogBridge : ILogProvider
{
    public static HangfireLogBridge Instance { get; } = new();
    private readonly List<ILoggerFactory> _factories = [];

    private HangfireLogBridge()
    {
    }

    /// <summary>Routes Hangfire's messages to <paramref name="factory"/> until the returned handle is disposed.</summary>
    public HangfireLogAttachment Attach(ILoggerFactory factory)
    {
        lock (_factories) _factories.Add(factory);
        LogProvider.SetCurrentLogProvider(this);
        return new HangfireLogAttachment(() =>
        {
            lock (_factories) _factories.Remove(factory);
        });
    }

    public ILog GetLogger(string name) => new BridgedLog(this, name);

    private Microsoft.Extensions.Logging.ILogger? Current(string name)
    {
        ILoggerFactory? factory;
        lock (_factories) factory = _factories.Count > 0 ? _factories[^1] : null;
        try
        {
            return factory?.CreateLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    private sealed class BridgedLog(HangfireLogBridge bridge, string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = bridge.Current(name);
            if (logger is null) return false;
            var level = logLevel switch
            {
                HangfireLevel.Trace => LogLevel.Trace,
                HangfireLevel.Debug => LogLevel.Debug,
                HangfireLevel.Info => LogLevel.Information,
                HangfireLevel.Warn => LogLevel.Warning,
                HangfireLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
            return true;
        }
    }
}

/// <summary>A host's place in <see cref="HangfireLogBridge"/>; disposed with the host's services.</summary>
public sealed class HangfireLogAttachment(Action detach) : IDisposable
{
    public void Dispose() => detach();
}
