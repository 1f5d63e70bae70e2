using System.Text.Json.Nodes;
using Recorder.Pipeline.Meetings;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Janus;

/// <summary>
/// The participants of a real Janus VideoRoom see the recorder under a name
/// that says it records (their consent), or under the one it was given.
/// </summary>
[Collection(JanusCollection.Name)]
[Trait("Category", "Integration")]
public sealed class JanusDisplayNameTests(JanusFixture janus)
{
    [Theory]
    [InlineData(null, "", "● Recording")]
    [InlineData("Recording for the archive", "", "Recording for the archive")]
    [InlineData(null, "&display=Rec%20%E2%97%8F", "Rec ●")]
    public async Task The_room_lists_the_recorder_under_its_display_name(string? displayName, string uriExtra, string listed)
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room);
        try
        {
            await using var source = MeetingSourceFactory.Create(janus.Instance.MeetingUri(room, uriExtra), displayName);
            await source.StartAsync(CancellationToken.None);
            var answer = await admin.MessageAsync(new JsonObject { ["request"] = "listparticipants", ["room"] = room });
            var names = answer["participants"]!.AsArray().Select(p => (string?)p!["display"]).ToList();
            Assert.Equal([listed], names);
        }
        finally
        {
            await admin.DestroyRoomAsync(room);
        }
    }
}
