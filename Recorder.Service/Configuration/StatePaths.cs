namespace Recorder.Service.Configuration;

/// <summary>Where the service keeps its own state (the embedded store, a generated operator token).</summary>
public static class StatePaths
{
    public static string Directory(RecorderServiceOptions options, Func<string, string?> environment)
    {
        if (options.StateDirectory is { Length: > 0 } configured) return Path.GetFullPath(configured);
        // systemd's StateDirectory= sets $STATE_DIRECTORY (README, "Deployment").
        if (environment("STATE_DIRECTORY") is { Length: > 0 } systemd) return systemd.Split(':')[0];
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var stateHome = environment("XDG_STATE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "state");
        return Path.Combine(stateHome, "recorder");
    }
}
