namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Tests that run the pipeline on the wall clock: they run after the parallel
/// tests, one at a time, so a busy CPU does not turn into dropped frames.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "real time";
}
