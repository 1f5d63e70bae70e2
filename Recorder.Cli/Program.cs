// The `recorder` command: verbs live in Commands/ (one file each, listed in
// CommandCatalog); every terminal-output rule lives in CliOutput.
using Recorder.Cli;
using Recorder.Pipeline;

// Verbs that handle meeting media run only with the runtime's diagnostics off
// from the start (the `recorder` launcher sees to it) and without core dumps.
if (args is ["record" or "demo" or "serve", ..])
{
    if (!ProcessHardening.DiagnosticsDisabled) return RecorderCli.RefuseWithoutHardening(CliConsole.FromProcess());
    ProcessHardening.DisableCoreDumps();
}
return await RecorderCli.RunAsync(args, CliConsole.FromProcess());
