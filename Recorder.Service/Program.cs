// The recorder service (`recorder serve` starts it): the HTTP API hosts use,
// Hangfire jobs that run each recording as a child process, webhooks, metrics.
using Microsoft.Extensions.Options;
using Recorder.Service;

try
{
    await using var app = RecorderServiceApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (ServiceConfigurationException e)
{
    await Console.Error.WriteLineAsync($"recorder: error: {e.Message}\nrecorder: hint: run 'recorder serve --help' for the options");
    return 2;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"recorder: error: {string.Join("; ", e.Failures)}\nrecorder: hint: README.md, \"Configuration\", lists every setting");
    return 2;
}
