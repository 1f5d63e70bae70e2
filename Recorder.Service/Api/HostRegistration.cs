using System.Security.Cryptography;
using Recorder.Crypto;
using Recorder.Service.Configuration;
using Recorder.Service.Webhooks;

namespace Recorder.Service.Api;

/// <summary>
/// Checks what a host registers: a name, its recipients (age1… keys or a KMS
/// key; every recording is encrypted for exactly these, never for a key a
/// request names), the display name participants see, a webhook URL on the
/// allow-list.
/// </summary>
public sealed class HostRegistration(RecorderServiceOptions options, TargetAllowList allowList)
{
    public static string NewHostId() => "host-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string NewAuditorId() => "auditor-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static bool ValidName(string? name, out string message)
    {
        message = "";
        if (string.IsNullOrWhiteSpace(name)) message = "required: a name to tell this principal by (not used in object keys)";
        else if (name.Length > 100) message = "at most 100 characters";
        else if (name.Any(char.IsControl)) message = "no control characters";
        return message.Length == 0;
    }

    /// <summary>The recipients from <c>recipients</c> or <c>kmsKey</c> (exactly one of them), validated and de-duplicated.</summary>
    public IReadOnlyList<string>? Recipients(IReadOnlyList<string>? recipients, string? kmsKey, bool required, Dictionary<string, string[]> errors)
    {
        if (recipients is null && kmsKey is null)
        {
            if (required) errors["recipients"] = ["required: the host's age1… public key(s), or kmsKey with a KMS key ARN"];
            return null;
        }
        if (recipients is not null && kmsKey is not null)
        {
            errors["kmsKey"] = ["give recipients or kmsKey, not both (a KMS key may also be a recipient: kms:ARN)"];
            return null;
        }
        var texts = recipients ?? [$"kms:{kmsKey}"];
        if (texts.Count == 0 || texts.Count > options.MaxRecipientsPerHost)
        {
            errors["recipients"] = [$"from 1 to {options.MaxRecipientsPerHost} recipients"];
            return null;
        }
        var valid = new List<string>();
        foreach (var text in texts)
        {
            try
            {
                var recipient = AgeRecipients.Validate(text ?? "");
                if (!valid.Contains(recipient, StringComparer.Ordinal)) valid.Add(recipient);
            }
            catch (FormatException e)
            {
                errors[kmsKey is null ? "recipients" : "kmsKey"] = [$"'{Shorten(text)}': {e.Message}"];
                return null;
            }
        }
        return valid;
    }

    public string? DisplayName(string? displayName, Dictionary<string, string[]> errors)
    {
        if (displayName is null) return null;
        if (displayName.Trim().Length == 0 || displayName.Length > 64 || displayName.Any(char.IsControl))
        {
            errors["displayName"] = ["1 to 64 characters, no control characters (participants see it next to the recorder)"];
            return null;
        }
        return displayName;
    }

    public string DefaultDisplayName => options.DisplayName;

    /// <summary>A webhook URL: absolute http(s), its host on the allow-list, no credentials in it.</summary>
    public string? WebhookUrl(string? url, Dictionary<string, string[]> errors)
    {
        if (url is null) return null;
        if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors["webhookUrl"] = ["an absolute http:// or https:// URL"];
        else if (uri.UserInfo.Length > 0)
            errors["webhookUrl"] = ["no user name or password in the URL: requests are signed (Standard Webhooks)"];
        else if (!allowList.Allows(uri))
            errors["webhookUrl"] = [$"{uri.DnsSafeHost} is not on the service's allow-list ({allowList.Description})"];
        else
            return uri.ToString();
        return null;
    }

    public static string NewWebhookSecret() => WebhookSigner.NewSecret();

    private static string Shorten(string? text) => text is null ? "null" : text.Length <= 24 ? text : text[..20] + "…";
}
