using System.Net;

namespace Recorder.Service.Api;

/// <summary>
/// Where the service may be told to connect (meetings, webhooks): exact host
/// names, addresses and CIDR ranges from configuration. A name is trusted
/// only if listed by name, not because of what it resolves to.
/// </summary>
public sealed class TargetAllowList
{
    private readonly List<IPNetwork> _networks = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);

    public TargetAllowList(IEnumerable<string> entries)
    {
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            if (IPNetwork.TryParse(entry, out var network)) _networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) _networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns) _names.Add(entry.TrimEnd('.'));
            else throw new FormatException($"allow-list entry '{entry}' is not a host name, an address or a CIDR range");
        }
        Description = string.Join(", ", entries);
    }

    public string Description { get; }

    public bool Allows(Uri uri) => Allows(uri.DnsSafeHost);

    public bool Allows(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return _networks.Any(n => n.Contains(address));
        }
        return _names.Contains(host.TrimEnd('.'));
    }
}
