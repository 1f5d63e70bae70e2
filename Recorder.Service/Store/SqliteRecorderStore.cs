using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Recorder.Service.Store;

/// <summary>
/// The embedded store: one SQLite file in the state directory (WAL mode), so
/// hosts, token hashes, recordings and the schedule survive a restart of a
/// one-machine service with nothing to install.
/// </summary>
public sealed class SqliteRecorderStore(string path) : SqlRecorderStore
{
    public const string FileName = "recorder.db";

    // Pooled connections; a writer waits up to 30 s for another's lock (the default timeout) instead of failing.
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string Path { get; } = path;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (!Directory.Exists(directory))
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // WAL: readers (the API) never wait for the writer (a job recording progress).
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, Schema, cancellationToken).ConfigureAwait(false);
        // Token hashes and webhook secrets are in it: owner only.
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override object Blob(byte[] value) => value;
}
