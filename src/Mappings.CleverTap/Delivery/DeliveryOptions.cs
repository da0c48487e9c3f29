namespace Mappings.CleverTap.Delivery;

/// <summary>
/// How requests to CleverTap (delivery proxy and user deletion) are sent: the timeout, the
/// per-account concurrency limit (D3), the hosts a proxy request may name besides CleverTap's own
/// (D5), and where deletion requests go.
/// </summary>
public sealed record DeliveryOptions
{
    /// <summary>CleverTap answers 429 above 15 concurrent requests per account (D3).</summary>
    public const int DefaultMaxConcurrentPerAccount = 15;

    /// <summary>
    /// Time allowed for one request to CleverTap, from the moment it starts waiting for its turn
    /// (D3) to the last byte of the answer, redirects included. The reference's
    /// <c>REQUEST_TIMEOUT_IN_MS</c>: 60 s.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most requests in flight per CleverTap account (<c>X-CleverTap-Account-Id</c>); more wait their turn.</summary>
    public int MaxConcurrentPerAccount { get; init; } = DefaultMaxConcurrentPerAccount;

    /// <summary>
    /// Host names a proxy request may send to besides <c>api.clevertap.com</c> and
    /// <c>&lt;region&gt;.api.clevertap.com</c> (case-insensitive, any scheme and port): the
    /// <c>PROXY_ALLOWED_HOSTS</c> list, for tests and private gateways.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Where deletion requests go instead of the region's CleverTap host (scheme, host, port and an
    /// optional path prefix; the path of the deletion endpoint is appended). Null: the region rule.
    /// </summary>
    public Uri? DeletionBaseUrl { get; init; }

    /// <summary>Largest CleverTap answer read; a longer one fails the request.</summary>
    public int MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Redirects followed before giving up (axios' default of 5).</summary>
    public int MaxRedirects { get; init; } = 5;
}
