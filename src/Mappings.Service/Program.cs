using Mappings.Service;

ServiceOptions options;
try
{
    options = ServiceOptions.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (FormatException e)
{
    Console.Error.WriteLine("mappings service: " + e.Message);
    return 2;
}

// A health probe for a container's HEALTHCHECK (docs/operations.md): asks the running service, exits 0 or 1.
if (args is ["--health"]) return await HealthProbe.RunAsync(options, Console.Error);

var app = MappingsService.Build(options, args);
await app.RunAsync();
return 0;
