using System.Security.Cryptography;
using System.Text;
using Recorder.Storage;

namespace Recorder.Tests.Storage;

/// <summary>
/// A test log entry, as a real one would be: the event, the SHA-256 of the previous entry (the chain) and the
/// versions this append lost (the claims an auditor matches against extra versions). Text, one field a line.
/// </summary>
public sealed record LogTestEntry(string Event, string PreviousSha256, IReadOnlyList<string> LostVersions)
{
    public const string NoPrevious = "none";

    public static byte[] Build(string eventId, LogAppendContext context) =>
        Encoding.UTF8.GetBytes(
            $"event {eventId}\n" +
            $"prev {(context.PreviousEntry is { } previous ? Sha256Hex(previous.Span) : NoPrevious)}\n" +
            $"lost {string.Join(' ', context.LostAttempts.Select(l => Claim(l.Key, l.VersionId)))}\n");

    public static LogTestEntry Parse(byte[] content)
    {
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        return new LogTestEntry(Field(lines[0], "event"), Field(lines[1], "prev"),
            Field(lines[2], "lost").Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// What an auditor checks: indices 0..n-1 in order, each entry's "prev" the hash of the winning entry before
    /// it (one chain, no fork), and every extra version of every key claimed as lost by some winning entry.
    /// Returns the parsed entries.
    /// </summary>
    public static IReadOnlyList<LogTestEntry> AssertOneChain(IReadOnlyList<LogEntry> entries)
    {
        var parsed = entries.Select(e => Parse(e.Content)).ToList();
        var claimed = parsed.SelectMany(p => p.LostVersions).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(i, entries[i].Index);
            Assert.Equal(i == 0 ? NoPrevious : Sha256Hex(entries[i - 1].Content), parsed[i].PreviousSha256);
            foreach (var extra in entries[i].OtherVersions)
                Assert.True(claimed.Contains(Claim(extra.Key, extra.VersionId)), $"{extra.Key} version {extra.VersionId} is claimed by no entry");
        }
        return parsed;
    }

    public static string Claim(string key, string? versionId) => $"{key}@{versionId}";

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Field(string line, string name) =>
        line.StartsWith(name + " ", StringComparison.Ordinal) ? line[(name.Length + 1)..] : throw new FormatException($"expected '{name} …', got '{line}'");
}
