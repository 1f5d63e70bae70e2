using System.CommandLine;

namespace Recorder.Cli.Api;

/// <summary>Where the service is and who calls it, with where each came from (for messages; never the token itself).</summary>
internal sealed record ServiceEndpoint(Uri BaseUri, string DisplayUrl, string UrlSource, string Token, string TokenSource);

/// <summary>
/// The <c>--url</c>/<c>--token</c> options every API verb takes, falling back to
/// RECORDER_URL/RECORDER_TOKEN (read through the console's environment, as
/// CliServices reads the AWS variables). A missing or unusable value is a usage
/// error that says where to put it.
/// </summary>
internal sealed class ServiceConnection
{
    public const string UrlVariable = "RECORDER_URL";
    public const string TokenVariable = "RECORDER_TOKEN";

    private readonly Option<string?> _url = new("--url")
    {
        Description = $"the service's URL, e.g. http://127.0.0.1:8080 (default: ${UrlVariable})",
        HelpName = "URL",
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = $"the API token (default: ${TokenVariable}, which keeps it out of the process list)",
        HelpName = "TOKEN",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_url);
        command.Options.Add(_token);
    }

    public ServiceClient Connect(ParseResult parse, CliContext context) => new(Resolve(parse, context.Console.Environment));

    internal ServiceEndpoint Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var (url, urlSource) = parse.GetValue(_url) is { Length: > 0 } u ? (u, "--url") : (environment(UrlVariable), UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
            throw CliException.Usage($"no service URL: give --url URL or set {UrlVariable}",
                $"{UrlVariable}=http://127.0.0.1:8080 is where 'recorder serve' listens by default");
        url = url.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw CliException.Usage($"{urlSource}: '{url}' is not an http:// or https:// URL", $"e.g. {UrlVariable}=http://127.0.0.1:8080");
        if (uri.UserInfo.Length > 0)
            throw CliException.Usage($"{urlSource}: no user name or password in the URL", $"give the token with {TokenVariable} or --token");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw CliException.Usage($"{urlSource}: '{url}' has a query or fragment; give the service's base URL", $"e.g. {UrlVariable}=http://127.0.0.1:8080");

        var (token, tokenSource) = parse.GetValue(_token) is { Length: > 0 } t ? (t, "--token") : (environment(TokenVariable), TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
            throw CliException.Usage($"no API token: give --token TOKEN or set {TokenVariable}",
                "a host's token is printed once by 'recorder hosts add'; the operator's is the service's RECORDER_OPERATOR_TOKEN "
                + "or the file operator-token in its state folder");
        token = token.Trim();
        // Checked here so the header cannot fail later with a message that might quote it.
        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > '~'))
            throw CliException.Usage($"the token from {tokenSource} has spaces or characters a token never has", "copy it again, exactly as printed");

        // A trailing slash makes relative paths land under a base path (a service behind a proxy at /recorder/).
        var display = url.TrimEnd('/');
        var baseUri = new Uri(display + "/");
        return new ServiceEndpoint(baseUri, display, urlSource, token, tokenSource);
    }
}
