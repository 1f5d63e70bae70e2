namespace Recorder.Service.Configuration;

/// <summary>Facts derived from the configuration once.</summary>
public sealed record ServiceSetup(string StateDirectory, int Capacity, string StoreDescription, bool EmbeddedJobs)
{
    /// <summary>This worker's name in the recordings' leases: machine, process and a random part (a restarted process is another worker).</summary>
    public string WorkerId { get; } =
        $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
}

/// <summary>Where the service read its RECORDER_* and AWS_* variables (the process environment; tests give their own).</summary>
public sealed record ServiceEnvironment(Func<string, string?> Get);
