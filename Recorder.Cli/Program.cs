// The `recorder` command: verbs live in Commands/ (one file each, listed in
// CommandCatalog); every terminal-output rule lives in CliOutput.
using Recorder.Cli;

return await RecorderCli.RunAsync(args, CliConsole.FromProcess());
