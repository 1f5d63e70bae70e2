using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recorder.Service.Api;
using Recorder.Service.Store;

namespace Recorder.Service.Auth;

/// <summary>
/// <c>Authorization: Bearer TOKEN</c> (the API), or Basic with the token as
/// the password (so a browser can open the Hangfire dashboard). Missing or
/// unknown tokens get a 401 problem; the wrong role a 403.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IRecorderStore store, OperatorToken operatorToken)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RecorderToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request.Headers.Authorization.ToString()) is not { } token) return AuthenticateResult.NoResult();
        if (operatorToken.Matches(token)) return Success(Roles.Operator, Roles.Operator);
        if (ApiTokens.TryParse(token, out var tokenId, out var secretHash)
            && await store.FindTokenAsync(tokenId, Context.RequestAborted).ConfigureAwait(false) is { } stored
            && ApiTokens.SameHash(stored.SecretSha256, secretHash))
        {
            return Success(stored.Role, stored.PrincipalId);
        }
        return AuthenticateResult.Fail("the token is not valid");
    }

    private AuthenticateResult Success(string role, string principalId)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, role), new Claim(Roles.PrincipalIdClaim, principalId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static string? Presented(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter)) return null;
        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return value.Parameter.Trim();
        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var dashboard = Request.Path.StartsWithSegments("/hangfire", StringComparison.Ordinal);
        Response.Headers.WWWAuthenticate = dashboard ? "Basic realm=\"recorder operator\", charset=\"UTF-8\"" : "Bearer";
        var presented = Request.Headers.Authorization.Count > 0;
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            presented ? "the token is not valid" : "no token: send Authorization: Bearer TOKEN",
            presented ? "tokens are printed once by 'recorder hosts add' or rotated with 'recorder hosts rotate-token'" : null);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "this token's role may not do that", null);
}
