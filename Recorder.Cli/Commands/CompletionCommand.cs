using System.CommandLine;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder completion bash|zsh</c>: a script for the shell's startup file that completes
/// verbs, sub-verbs and flags by asking <c>recorder</c> itself through System.CommandLine's
/// <c>[suggest:POSITION]</c> directive (no dotnet-suggest needed).
/// </summary>
public sealed class CompletionCommand : ICliCommand
{
    private const string Bash = """
        # recorder completion for bash: source <(recorder completion bash)
        _recorder_complete() {
            local IFS=$'\n'
            local line="${COMP_LINE:0:$COMP_POINT}"
            COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _recorder_complete recorder

        """;

    private const string Zsh = """
        # recorder completion for zsh: source <(recorder completion zsh)
        _recorder_complete() {
            local line="${BUFFER[1,$CURSOR]}"
            local -a found
            found=(${(f)"$("${words[1]:-recorder}" "[suggest:${#line}]" "$line" 2>/dev/null)"})
            compadd -- $found
        }
        compdef _recorder_complete recorder

        """;

    public Command Build(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "print a shell completion script (bash or zsh) to source") { shell };
        command.SetAction(parse =>
        {
            context.Output.Lines([parse.GetValue(shell) == "zsh" ? Zsh : Bash]);
            return CliExitCodes.Success;
        });
        return command;
    }
}
