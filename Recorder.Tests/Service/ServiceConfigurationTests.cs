using Microsoft.Extensions.Configuration;
using Recorder.Service.Configuration;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Service;

public sealed class ServiceConfigurationTests
{
    private static (RecorderServiceOptions Options, IConfiguration Configuration, string? Error) Load(string[] args, Dictionary<string, string> environment)
    {
        var builder = new ConfigurationBuilder();
        var error = ServiceConfiguration.Apply(builder, args, name => environment.GetValueOrDefault(name));
        var configuration = builder.Build();
        var options = new RecorderServiceOptions();
        configuration.GetSection(RecorderServiceOptions.Section).Bind(options);
        return (options, configuration, error);
    }

    [Fact]
    public void Flags_override_variables_which_override_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("recorder-config-").FullName;
        var file = Path.Combine(folder, "recorder.json");
        File.WriteAllText(file, """{"Recorder": {"Bucket": "from-file", "Prefix": "file/", "Capacity": 7, "DisplayName": "Rec"}}""");
        var (options, configuration, error) = Load(["--bucket", "from-flag", "--urls=http://127.0.0.1:9999", "--config", file],
            new() { ["RECORDER_BUCKET"] = "from-env", ["RECORDER_PREFIX"] = "env/", ["RECORDER_ALLOW_LIST"] = "janus.internal, 10.0.0.0/8" });
        Directory.Delete(folder, recursive: true);
        Assert.Null(error);
        Assert.Equal(("from-flag", "env/", 7, "Rec"), (options.Bucket, options.Prefix, options.Capacity, options.DisplayName));
        Assert.Equal("http://127.0.0.1:9999", configuration["urls"]);
        Assert.Equal(["janus.internal", "10.0.0.0/8"], options.EffectiveAllowList);
    }

    [Fact]
    public void Lists_have_their_defaults_until_configured()
    {
        var (options, _, _) = Load([], []);
        Assert.Equal(["127.0.0.0/8", "::1", "localhost"], options.EffectiveAllowList);
        Assert.Equal([5, 30, 120, 600, 1800, 3600, 7200, 14_400], options.EffectiveWebhookRetryDelaysSeconds);
        Assert.Equal([1, 2], Load([], new() { ["RECORDER_WEBHOOK_RETRY_DELAYS"] = "1,2" }).Options.EffectiveWebhookRetryDelaysSeconds);
    }

    [Theory]
    [InlineData(new[] { "--bucket" }, "--bucket needs a value")]
    [InlineData(new[] { "--buckets", "b" }, "unknown option --buckets (known: --config, --urls, --bucket, --prefix, --postgres, --state-dir, --capacity, --signing-key)")]
    [InlineData(new[] { "--config", "/nonexistent/recorder.json" }, "no such configuration file: /nonexistent/recorder.json")]
    [InlineData(new[] { "--capacity", "many" }, "--capacity: 'many' is not a whole number")]
    public void Bad_flags_are_named(string[] args, string message) => Assert.Equal(message, Load(args, []).Error);

    [Theory]
    [InlineData("RECORDER_CAPACITY", "three", "RECORDER_CAPACITY: 'three' is not a whole number")]
    [InlineData("RECORDER_DRAIN_TIMEOUT_SECONDS", "60s", "RECORDER_DRAIN_TIMEOUT_SECONDS: '60s' is not a whole number")]
    [InlineData("RECORDER_WEBHOOK_RETRY_DELAYS", "1,x", "RECORDER_WEBHOOK_RETRY_DELAYS: 'x' is not a whole number")]
    public void Bad_numbers_in_variables_are_named(string variable, string value, string message) =>
        Assert.Equal(message, Load([], new() { [variable] = value }).Error);

    [Fact]
    public void The_default_capacity_follows_the_measured_cost() =>
        Assert.Equal([1, 1, 3, 6, 12], new[] { 0, 1, 2, 4, 8 }.Select(WorkerCapacity.Default));

    [Fact]
    public void The_state_folder_follows_systemd_then_xdg()
    {
        var options = new RecorderServiceOptions();
        Assert.Equal("/var/lib/recorder", StatePaths.Directory(options, n => n == "STATE_DIRECTORY" ? "/var/lib/recorder" : null));
        Assert.Equal("/home/u/.local/state/recorder", StatePaths.Directory(options, n => n == "HOME" ? "/home/u" : null));
        Assert.Equal("/x/recorder", StatePaths.Directory(options, n => n switch { "HOME" => "/home/u", "XDG_STATE_HOME" => "/x", _ => null }));
        Assert.Equal("/srv/state", StatePaths.Directory(new RecorderServiceOptions { StateDirectory = "/srv/state" }, _ => "/ignored"));
    }

    [Fact]
    public void README_documents_every_setting()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (var setting in ServiceConfiguration.Settings)
        {
            Assert.Contains($"`{setting.Variable}`", readme);
            if (setting.Flag.Length > 0) Assert.Contains($"`{setting.Flag}`", readme);
        }
    }
}
