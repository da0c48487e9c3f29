using Mappings.CleverTap.Delivery;

namespace Mappings.CleverTap.Tests;

/// <summary>The delivery proxy sends only to CleverTap and the configured hosts (D5): which URLs pass.</summary>
public sealed class DeliveryHostPolicyTests
{
    [Theory]
    [InlineData("https://api.clevertap.com/1/upload", true)]
    [InlineData("https://in1.api.clevertap.com/1/upload", true)]
    [InlineData("https://sk1-staging.api.clevertap.com/1/upload", true)]
    [InlineData("https://API.CleverTap.com:443/1/upload", true)]
    [InlineData("http://api.clevertap.com/1/upload", false)]
    [InlineData("https://api.clevertap.com:8443/1/upload", false)]
    [InlineData("https://a.b.api.clevertap.com/1/upload", false)]
    [InlineData("https://in_1.api.clevertap.com/1/upload", false)]
    [InlineData("https://.api.clevertap.com/1/upload", false)]
    [InlineData("https://clevertap.com/1/upload", false)]
    [InlineData("https://api.clevertap.com.evil.com/1/upload", false)]
    [InlineData("https://user:pw@api.clevertap.com/1/upload", false)]
    [InlineData("ftp://api.clevertap.com/1/upload", false)]
    [InlineData("http://gateway.internal:8080/x", true)]
    [InlineData("https://GATEWAY.internal/x", true)]
    [InlineData("http://[::1]:9000/x", true)]
    [InlineData("http://127.0.0.1/x", false)]
    [InlineData("/relative", false)]
    [InlineData("", false)]
    public void Host_policy(string url, bool allowed)
    {
        var policy = new DeliveryHostPolicy(["gateway.internal", " ::1 "]);
        Assert.Equal(allowed, policy.Refusal(url) is null);
    }
}
