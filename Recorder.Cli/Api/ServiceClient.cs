using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Recorder.Cli.Api;

/// <summary>
/// The recorder service's HTTP API as the CLI calls it: bearer token, JSON in
/// and out through <see cref="ApiJson"/>, and every failure — unreachable,
/// timed out, an error answer — as a <see cref="CliException"/> with the
/// contract's message and hint (<see cref="ServiceProblems"/>). The token goes
/// only into the Authorization header, never into a message.
/// </summary>
internal sealed class ServiceClient : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public ServiceClient(ServiceEndpoint endpoint, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            // A redirect could carry the request (and its token) somewhere the user did not name;
            // for the same reason no proxy from the environment is used.
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = endpoint.BaseUri,
            Timeout = RequestTimeout,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public ServiceEndpoint Endpoint { get; }

    /// <summary>A path segment from user input (an id), escaped so it stays one segment.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public Task<TResponse> GetAsync<TResponse>(string path, JsonTypeInfo<TResponse> response, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? fields = null) =>
        ExchangeAsync(new HttpRequestMessage(HttpMethod.Get, path), response, fields, cancellationToken);

    /// <summary>A request without a body whose answer is read (POST …/token, POST …/stop).</summary>
    public Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> response, CancellationToken cancellationToken) =>
        ExchangeAsync(new HttpRequestMessage(method, path), response, null, cancellationToken);

    /// <summary>POST or PATCH with a JSON body; <paramref name="fields"/> maps the API's field names to the verb's flags in 400 answers.</summary>
    public Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> request,
        JsonTypeInfo<TResponse> response, IReadOnlyDictionary<string, string>? fields, CancellationToken cancellationToken) =>
        ExchangeAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, request) }, response, fields, cancellationToken);

    /// <summary>A request whose answer has no body to read (POST without a body, DELETE).</summary>
    public async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path);
        using var answer = await SendCoreAsync(message, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> ExchangeAsync<TResponse>(HttpRequestMessage message, JsonTypeInfo<TResponse> response,
        IReadOnlyDictionary<string, string>? fields, CancellationToken cancellationToken)
    {
        using (message)
        using (var answer = await SendCoreAsync(message, fields, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var stream = await answer.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return await JsonSerializer.DeserializeAsync(stream, response, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("the body is null");
            }
            catch (JsonException e)
            {
                throw new CliException($"the service's answer to {message.Method} /{message.RequestUri} was not understood: {e.Message}",
                    "are recorder and the service the same version?");
            }
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage message, IReadOnlyDictionary<string, string>? fields,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage answer;
        try
        {
            answer = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the service at {Endpoint.DisplayUrl} did not answer within {RequestTimeout.TotalSeconds:0} s",
                $"is it overloaded, or is {Endpoint.UrlSource} the right address?");
        }
        if (answer.IsSuccessStatusCode) return answer;
        using (answer)
        {
            throw await ServiceProblems.ToExceptionAsync(answer, Endpoint, fields, cancellationToken).ConfigureAwait(false);
        }
    }

    private CliException Unreachable(HttpRequestException e)
    {
        var reason = (e.InnerException as SocketException)?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "no such host",
            SocketError.TimedOut => "timed out",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
            _ => CliOutput.Normalize(e.Message),
        };
        return new CliException($"cannot connect to the service at {Endpoint.DisplayUrl}: {reason}",
            $"is 'recorder serve' running there? (the URL came from {Endpoint.UrlSource})");
    }

    public void Dispose() => _http.Dispose();
}
