using System.Diagnostics;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP proxy in front of the local S3 (Python's http.server, one thread per connection) that holds
/// back every ranged GET starting at or after <c>holdFromByte</c> until <see cref="Release"/>: a test sees what a
/// client does while the tail of an object is still on its way. Counts the GETs it held.
/// </summary>
public sealed class HoldingS3Proxy : IDisposable
{
    private const string Script = """
        import http.server, http.client, sys, threading
        upstream, hold_from = sys.argv[1], int(sys.argv[2])
        release = threading.Event()
        held = 0
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def forward(self):
                global held
                rng = self.headers.get("Range")
                if self.command == "GET" and rng and int(rng[6:rng.index("-")]) >= hold_from:
                    with lock:
                        held += 1
                    print(f"held {held}", flush=True)
                    release.wait()
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else None
                c = http.client.HTTPConnection(upstream)
                c.request(self.command, self.path, body, dict(self.headers))
                r = c.getresponse()
                data = r.read()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", r.getheader("Content-Length") if self.command == "HEAD" else str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = forward
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(f"port {server.server_address[1]}", flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        for line in sys.stdin:
            if line.strip() == "release":
                release.set()
        """;

    private readonly Process _process;
    private int _held;

    public HoldingS3Proxy(Uri upstream, long holdFromByte)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add($"{upstream.Host}:{upstream.Port}");
        info.ArgumentList.Add(holdFromByte.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start python3");
        var first = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the proxy did not start");
        Endpoint = $"http://127.0.0.1:{first["port ".Length..]}";
        _ = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
                if (line.StartsWith("held ", StringComparison.Ordinal)) Interlocked.Increment(ref _held);
        });
    }

    /// <summary>The proxy's URL, for AWS_ENDPOINT_URL_S3.</summary>
    public string Endpoint { get; }

    /// <summary>GETs held back so far.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Lets the held GETs (and all later ones) through.</summary>
    public void Release()
    {
        _process.StandardInput.WriteLine("release");
        _process.StandardInput.Flush();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
