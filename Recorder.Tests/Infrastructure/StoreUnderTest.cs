using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The store a shared test class runs against, and how it makes a fresh bucket:
/// the in-memory fake, or the real Ceph gateway through <see cref="S3ObjectStore"/>.
/// </summary>
public sealed record StoreUnderTest(IObjectStore Store, Func<string, Task<string>> CreateBucketAsync)
{
    public static StoreUnderTest InMemory()
    {
        var store = new InMemoryObjectStore();
        return new StoreUnderTest(store, purpose =>
        {
            var name = $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 9)];
            store.CreateBucket(name);
            return Task.FromResult(name);
        });
    }

    public static StoreUnderTest Ceph(CephFixture ceph) => new(new S3ObjectStore(ceph.Client), ceph.CreateBucketAsync);
}
