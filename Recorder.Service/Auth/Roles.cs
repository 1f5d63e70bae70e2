using System.Security.Claims;

namespace Recorder.Service.Auth;

/// <summary>
/// Who may do what. Operator: everything, and the Hangfire dashboard. Host:
/// its own recordings only (another host's recording is a 404, as if it did
/// not exist). Auditor: reads every recording's metadata and manifest, writes nothing.
/// </summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Host = "host";
    public const string Auditor = "auditor";

    /// <summary>Policy: operators and hosts (they start and stop recordings).</summary>
    public const string Writers = "writers";

    /// <summary>Policy: any authenticated caller.</summary>
    public const string Readers = "readers";

    public const string PrincipalIdClaim = "recorder:principal";
}

/// <summary>The authenticated caller, as the endpoints need it.</summary>
public sealed record Caller(string Role, string PrincipalId)
{
    public bool IsOperator => Role == Roles.Operator;
    public bool IsHost => Role == Roles.Host;
    public bool IsAuditor => Role == Roles.Auditor;

    /// <summary>The host whose data the caller is limited to; null for operators and auditors, who see every host's.</summary>
    public string? OwnHostId => IsHost ? PrincipalId : null;

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("no role: the endpoint must require authorization"),
            user.FindFirstValue(Roles.PrincipalIdClaim) ?? "");
}
