namespace Recorder.Service.Configuration;

/// <summary>Facts derived from the configuration once.</summary>
public sealed record ServiceSetup(string StateDirectory, int Capacity, string StoreDescription, bool EmbeddedJobs);

/// <summary>Where the service read its RECORDER_* and AWS_* variables (the process environment; tests give their own).</summary>
public sealed record ServiceEnvironment(Func<string, string?> Get);
