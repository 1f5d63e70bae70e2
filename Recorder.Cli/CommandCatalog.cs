using Recorder.Cli.Commands;

namespace Recorder.Cli;

/// <summary>The verbs of <c>recorder</c>. A new verb is a file under Commands/ and one line here.</summary>
public static class CommandCatalog
{
    public static IReadOnlyList<ICliCommand> All { get; } =
    [
        new KeygenCommand(),
        new EncryptCommand(),
        new DecryptCommand(),
        new InspectCommand(),
        new GrantCommand(),
        new VerifyCommand(),
        new AuditCommand(),
        new RecordCommand(),
        new DemoCommand(),
        new ServeCommand(),
        new HostsCommand(),
        new AuditorsCommand(),
        new ScheduleCommand(),
        new StatusCommand(),
        new ListCommand(),
        new StopCommand(),
        new CancelCommand(),
        new LegalHoldCommand(),
        new CompletionCommand(),
    ];
}
