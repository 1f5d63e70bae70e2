namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A Janus for a test collection: the one scripts/test.sh started
/// (RECORDER_JANUS_DIR), or a private one started with localstack/janus-start.sh
/// and stopped afterwards. Rooms get unique numbers, so tests do not meet.
/// </summary>
public sealed class JanusFixture : IAsyncLifetime
{
    private static int _nextRoom = Random.Shared.Next(10_000, 900_000);
    private JanusInstance? _instance;

    public JanusInstance Instance => _instance ?? throw new InvalidOperationException("fixture not initialised");

    public long NewRoom() => Interlocked.Add(ref _nextRoom, 1);

    public async Task InitializeAsync() => _instance = await JanusInstance.FromEnvironmentAsync() ?? await JanusInstance.StartAsync();

    public async Task DisposeAsync()
    {
        if (_instance is not null) await _instance.DisposeAsync();
    }
}

/// <summary>
/// Janus tests record on the wall clock: like the other real-time tests they
/// run after the parallel ones, one at a time. The local S3 is there for the
/// tests that go through the real encrypted output.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JanusCollection : ICollectionFixture<JanusFixture>, ICollectionFixture<CephFixture>
{
    public const string Name = "janus";
}
