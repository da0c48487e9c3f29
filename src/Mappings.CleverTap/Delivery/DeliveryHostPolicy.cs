using Mappings.Runtime;

namespace Mappings.CleverTap.Delivery;

/// <summary>
/// Which URLs requests to CleverTap may go to (deliberate difference D5: the proxy is not an open
/// relay): <c>https://api.clevertap.com</c> and <c>https://&lt;region&gt;.api.clevertap.com</c>
/// (region: lower-case letters, digits, <c>-</c>; default port only), plus the configured extra
/// hosts with any scheme (http or https) and port. A URL with user info is refused, whatever its host.
/// </summary>
public sealed class DeliveryHostPolicy
{
    private const string CleverTapApexHost = "api.clevertap.com";
    private const string RegionSuffix = ".api.clevertap.com";

    private readonly HashSet<string> _extraHosts;

    public DeliveryHostPolicy(IEnumerable<string> extraHosts)
    {
        _extraHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string host in extraHosts)
        {
            string h = host.Trim();
            if (h.Length == 0) continue;
            _extraHosts.Add(StripBrackets(h));
        }
    }

    /// <summary>
    /// Null when the URL may be used; otherwise why not, naming the host (never the user info or
    /// the rest of the URL, which could carry credentials; a host name longer than 256 characters
    /// is cut as D10 cuts request-supplied names).
    /// </summary>
    public string? Refusal(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? Refusal(uri)
            : "Delivery refused: the endpoint is not an absolute URL";

    /// <summary>Null when the URL may be used; otherwise why not.</summary>
    public string? Refusal(Uri uri)
    {
        if (!uri.IsAbsoluteUri) return "Delivery refused: the endpoint is not an absolute URL";
        string host = StripBrackets(uri.Host);
        bool web = uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp;
        if (!web) return $"Delivery refused: host \"{RequestText.Quote(host)}\" is reached with the scheme \"{RequestText.Quote(uri.Scheme)}\"; only http and https are used";
        if (uri.UserInfo.Length > 0) return $"Delivery refused: the endpoint for host \"{RequestText.Quote(host)}\" carries user info";
        if (_extraHosts.Contains(host)) return null;
        if (IsCleverTapHost(host) && uri.Scheme == Uri.UriSchemeHttps && uri.Port == 443) return null;
        return $"Delivery refused: host \"{RequestText.Quote(host)}\" is not a CleverTap API host (https://api.clevertap.com or https://<region>.api.clevertap.com) and not listed in PROXY_ALLOWED_HOSTS";
    }

    /// <summary><c>api.clevertap.com</c> or <c>&lt;region&gt;.api.clevertap.com</c> with region in <c>[a-z0-9-]+</c>.</summary>
    public static bool IsCleverTapHost(string host)
    {
        if (string.Equals(host, CleverTapApexHost, StringComparison.OrdinalIgnoreCase)) return true;
        if (!host.EndsWith(RegionSuffix, StringComparison.OrdinalIgnoreCase)) return false;
        var region = host.AsSpan(0, host.Length - RegionSuffix.Length);
        if (region.Length == 0) return false;
        foreach (char c in region)
        {
            bool ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-';
            if (!ok) return false;
        }
        return true;
    }

    private static string StripBrackets(string host) =>
        host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}
