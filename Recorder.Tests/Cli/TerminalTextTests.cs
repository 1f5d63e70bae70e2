using Recorder.Cli.IO;

namespace Recorder.Tests.Cli;

/// <summary>Object keys in findings reach a terminal: escape sequences and invisible format characters are shown, not obeyed.</summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("host-1/m/rec-1/segment-0001.mp4.age", "host-1/m/rec-1/segment-0001.mp4.age")]
    [InlineData("evil\u001b[2J.mp4", "evil\\u001B[2J.mp4")]
    [InlineData("a\nrecorder: holds", "a\\u000Arecorder: holds")]
    [InlineData("invoice\u202Egpj.exe", "invoice\\u202Egpj.exe")]
    [InlineData("c1\u009bcontrol", "c1\\u009Bcontrol")]
    [InlineData("zero\u200bwidth", "zero\\u200Bwidth")]
    public void Control_and_format_characters_are_shown_escaped(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Safe(text));
}
