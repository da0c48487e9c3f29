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

var app = MappingsService.Build(options, args);
await app.RunAsync();
return 0;
