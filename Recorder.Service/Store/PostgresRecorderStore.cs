using System.Data.Common;
using Npgsql;

namespace Recorder.Service.Store;

/// <summary>
/// The shared store: the same tables in PostgreSQL, for several workers
/// (`--postgres` / RECORDER_POSTGRES). Several services creating the schema
/// at once are serialized by an advisory lock.
/// </summary>
public sealed class PostgresRecorderStore(string connectionString) : SqlRecorderStore, IAsyncDisposable
{
    private const long SchemaLock = 0x5245434f52444552; // "RECORDER"
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLock})", [], cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, Schema, [], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override object Blob(byte[] value) => value;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
