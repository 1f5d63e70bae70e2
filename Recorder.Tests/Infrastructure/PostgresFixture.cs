using Npgsql;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL on 127.0.0.1: the one the test script started
/// (RECORDER_PG_DIR), or one started here with localstack/postgres-start.sh
/// and stopped afterwards. Each test gets a database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? _startedDir;

    /// <summary>The server's connection string (database "recorder").</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        IReadOnlyDictionary<string, string> env;
        if (Environment.GetEnvironmentVariable("RECORDER_PG_DIR") is { Length: > 0 } dir && Directory.Exists(dir))
        {
            env = CephFixture.ReadExports(await File.ReadAllTextAsync(Path.Combine(dir, "env")));
        }
        else
        {
            var result = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("postgres-start.sh"), [], TimeSpan.FromMinutes(2));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"localstack/postgres-start.sh failed ({result.ExitCode}); run localstack/install.sh postgres. {result.StandardError}");
            env = CephFixture.ReadExports(result.StandardOutput);
            _startedDir = env["RECORDER_PG_DIR"];
        }
        ConnectionString = env["RECORDER_POSTGRES"].Trim('\'');
        if (!ConnectionString.StartsWith("Host=127.0.0.1;", StringComparison.Ordinal))
            throw new InvalidOperationException("the test PostgreSQL must be on 127.0.0.1");
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"{purpose}_{Guid.NewGuid():N}"[..Math.Min(purpose.Length + 13, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_startedDir is not null)
            await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("postgres-stop.sh"), [_startedDir], TimeSpan.FromMinutes(1));
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>, ICollectionFixture<CephFixture>
{
    public const string Name = "postgres";
}
