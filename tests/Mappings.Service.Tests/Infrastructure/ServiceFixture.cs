using Mappings.CleverTap.Delivery;

namespace Mappings.Service.Tests.Infrastructure;

/// <summary>
/// The service as the conformance tests run it: a fake CleverTap on loopback, the proxy allowed to
/// reach 127.0.0.1 (PROXY_ALLOWED_HOSTS) and deletions sent to the fake (CLEVERTAP_BASE_URL).
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public FakeCleverTap CleverTap { get; private set; } = null!;

    public ServiceInstance Service { get; private set; } = null!;

    public HttpClient Client => Service.Client;

    public async Task InitializeAsync()
    {
        CleverTap = await FakeCleverTap.StartAsync();
        Service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            Delivery = new DeliveryOptions
            {
                AllowedHosts = ["127.0.0.1"],
                DeletionBaseUrl = new Uri(CleverTap.Origin),
                Timeout = TimeSpan.FromSeconds(20),
            },
        });
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await CleverTap.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service with fake CleverTap";
}
