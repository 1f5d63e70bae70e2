using System.CommandLine;
using System.Globalization;
using Recorder.Cli.IO;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder serve [--urls URL] [--bucket B] [--prefix P] [--postgres CONNECTION-STRING]
/// [--state-dir DIR] [--capacity N] [--config FILE]</c>: becomes the service. The
/// service runs on the .NET runtime (Hangfire is not AOT-friendly) while this CLI is
/// compiled ahead of time, so it is a program of its own, installed beside the CLI
/// as service/recorder-service; serve replaces this process with it (same PID, so
/// systemd's signals reach it) and passes the flags on. Program.cs has already
/// refused to get here without the launcher's hardening, which the service inherits.
/// </summary>
public sealed class ServeCommand : ICliCommand
{
    public const string ProgramVariable = "RECORDER_SERVICE_PROGRAM";

    public Command Build(CliContext context)
    {
        Option<string?> Flag(string name, string helpName, string description) => new(name) { Description = description, HelpName = helpName };
        Option<string?>[] flags =
        [
            Flag("--urls", "URL", "where the API listens (default http://127.0.0.1:8080)"),
            Flag("--bucket", "B", "the S3 bucket for recordings (or RECORDER_BUCKET)"),
            Flag("--prefix", "P", "key prefix inside the bucket"),
            Flag("--postgres", "CONNECTION-STRING", "PostgreSQL for jobs and state, shared by a pool of workers (or RECORDER_POSTGRES)"),
            Flag("--state-dir", "DIR", "the embedded store's folder (default $STATE_DIRECTORY, else ~/.local/state/recorder)"),
            Flag("--signing-key", "FILE", "sign every manifest with this OpenSSH Ed25519 private key (or RECORDER_SIGNING_KEY)"),
            Flag("--config", "FILE", "a JSON configuration file (section \"Recorder\")"),
        ];
        var capacity = new Option<string?>("--capacity") { Description = "recordings this worker runs at once (1 to 256)", HelpName = "N" };
        var command = new Command("serve", "run the recorder service: HTTP API and recording jobs (the service program installed beside recorder)");
        foreach (var flag in flags) command.Options.Add(flag);
        command.Options.Add(capacity);
        command.SetAction((Func<ParseResult, int>)(parse =>
        {
            var arguments = new List<string>();
            foreach (var flag in flags)
            {
                if (parse.GetValue(flag) is { } value) arguments.AddRange([flag.Name, value]);
            }
            if (parse.GetValue(capacity) is { } n)
            {
                // Checked here: the service's configuration binder would fail on a non-number with a stack trace.
                if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 256)
                    throw CliException.Usage($"--capacity {n}: give a whole number from 1 to 256");
                arguments.AddRange([capacity.Name, n]);
            }
            var program = ServiceProgram(context);
            var reason = ProcessReplacement.Exec(program, arguments);
            throw new CliException($"cannot start the service program {program}: {reason}",
                "it must be executable, and the ASP.NET Core runtime 10 installed (dotnet --list-runtimes)");
        }));
        return command;
    }

    /// <summary>RECORDER_SERVICE_PROGRAM, else service/recorder-service beside this program; a missing one is explained.</summary>
    internal static string ServiceProgram(CliContext context)
    {
        if (context.Console.Environment(ProgramVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new CliException($"the service program {ProgramVariable} names does not exist ({configured})",
                    $"point {ProgramVariable} at recorder-service, or unset it to use the one installed beside recorder");
        }
        var directory = AppContext.BaseDirectory.TrimEnd('/');
        var path = Path.Combine(directory, "service", "recorder-service");
        return File.Exists(path)
            ? path
            : throw new CliException($"the service program is not installed beside recorder ({path})",
                $"install it with 'dotnet publish Recorder.Service -c Release -r linux-x64 -o {directory}/service' (or set {ProgramVariable})");
    }
}
