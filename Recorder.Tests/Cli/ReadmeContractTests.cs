using System.CommandLine;
using Recorder.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>README.md's CLI blocks are the contract scripts read: every verb the CLI has, with every flag, is written there.</summary>
public sealed class ReadmeContractTests
{
    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        var context = new CliContext(new CliConsole(Stream.Null, Stream.Null, TextWriter.Null, _ => null));
        foreach (var command in CommandCatalog.All.Select(c => c.Build(context)))
        {
            if (command.Subcommands.Count == 0) data.Add(command.Name);
            foreach (var sub in command.Subcommands) data.Add($"{command.Name} {sub.Name}");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Readme_lists_the_verb_with_every_flag(string verb)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var context = new CliContext(new CliConsole(Stream.Null, Stream.Null, TextWriter.Null, _ => null));
        var names = verb.Split(' ');
        var command = CommandCatalog.All.Select(c => c.Build(context)).Single(c => c.Name == names[0]);
        if (names.Length > 1) command = command.Subcommands.Single(c => c.Name == names[1]);

        // The entry: from "recorder VERB " to the next line that starts another command.
        var start = readme.IndexOf($"\nrecorder {verb} ", StringComparison.Ordinal);
        if (start < 0) start = readme.IndexOf($"\nrecorder {verb}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no line starting 'recorder {verb}'");
        var end = readme.IndexOf("\nrecorder ", start + 1, StringComparison.Ordinal);
        var fence = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        var entry = readme[start..(end < 0 || fence < end ? fence : end)];
        // --url/--token are every client verb's and explained once, in "Service".
        foreach (var option in command.Options.Where(o => o.Name is not ("--help" or "--url" or "--token") && !o.Hidden))
            Assert.True(option.Aliases.Prepend(option.Name).Any(n => entry.Contains(n, StringComparison.Ordinal)),
                $"README.md's 'recorder {verb}' entry does not mention {option.Name}:\n{entry}");
    }
}
