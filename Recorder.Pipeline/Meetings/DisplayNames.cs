using System.Text;

namespace Recorder.Pipeline.Meetings;

/// <summary>
/// The name the recorder joins a meeting under. Participants see it in the
/// roster, so it is how they learn that the meeting is being recorded (their
/// consent): the default says so plainly.
/// </summary>
public static class DisplayNames
{
    public const string Default = "● Recording";
    public const int MaxLength = 64;
    public const string Rule = "1 to 64 characters, no control characters";

    /// <summary>True when <paramref name="name"/> follows <see cref="Rule"/> (characters counted as Unicode scalars).</summary>
    public static bool IsValid(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return false;
        var count = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || ++count > MaxLength) return false;
        }
        return true;
    }
}
