using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Mappings.Packaging.Tests;

/// <summary>
/// <c>dotnet pack</c> gives the two packages of the framework, and a project outside this solution
/// (<c>tests/Mappings.Packaging.Tests/Consumer</c>, copied to a temporary directory) builds from them on a local folder feed:
/// its own destination is generated, runs, explains and passes its examples, and a broken mapping
/// file fails its build with a MAP diagnostic at the file's line. Restores use that feed only and a
/// package folder of their own, so nothing is fetched and the machine's package cache is not touched
/// by the packed versions.
/// </summary>
public sealed class PackageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] PackedProjects = ["src/Mappings.Runtime", "generators/Mappings.Generators"];

    private readonly string _temp = Directory.CreateTempSubdirectory("mappings-packages-").FullName;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public void A_consumer_builds_from_the_packages_runs_its_own_destination_and_a_broken_mapping_fails_its_build()
    {
        string feed = Path.Combine(_temp, "feed");
        string sources = Path.Combine(_temp, "sources");
        string consumer = Path.Combine(_temp, "consumer");

        // 1. Pack what the repository holds now, from a copy (so the working tree's bin/ and obj/ are
        //    left alone while other tests run).
        CopySources(sources);
        foreach (string project in PackedProjects)
        {
            Run(sources, "dotnet", "pack", project, "-c", "Release", "-o", feed, "-p:ContinuousIntegrationBuild=true", "-nodeReuse:false");
        }

        string runtime = Assert.Single(Directory.GetFiles(feed, "Mappings.Runtime.*.nupkg"));
        string generators = Assert.Single(Directory.GetFiles(feed, "Mappings.Generators.*.nupkg"));
        using (ZipArchive package = ZipFile.OpenRead(runtime))
        {
            Assert.Contains("lib/net10.0/Mappings.Runtime.dll", Entries(package));
        }

        using (ZipArchive package = ZipFile.OpenRead(generators))
        {
            string[] entries = Entries(package);
            foreach (string dll in new[] { "Mappings.Generators", "Scriban.Signed", "System.Text.Json", "System.IO.Pipelines", "System.Text.Encodings.Web", "Microsoft.Bcl.AsyncInterfaces" })
            {
                Assert.Contains($"analyzers/dotnet/cs/{dll}.dll", entries);
            }

            Assert.Contains("build/Mappings.Generators.props", entries);
            Assert.Contains("build/Mappings.Generators.targets", entries);
            Assert.Contains("schemas/mappings.schema.json", entries);
            Assert.Contains("schemas/example.schema.json", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
            string nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains("<developmentDependency>true</developmentDependency>", nuspec);
        }

        // 2. The consumer, on that feed alone.
        CopyDirectory(Path.Combine(RepositoryRoot, "tests", "Mappings.Packaging.Tests", "Consumer"), consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_temp, "packages") };
        Run(consumer, "dotnet", isolated, "build", "-c", "Release", "-nodeReuse:false");
        string generated = Path.Combine(consumer, "obj", "generated", "Mappings.Generators", "Mappings.Generators.MappingsGenerator");
        Assert.True(File.Exists(Path.Combine(generated, "Mappings.Generated.WebhookMapper.g.cs")), "the generator wrote no WebhookMapper");
        Assert.Contains("// mappings/webhook/contact.json:8  { \"key\": \"email\", \"paths\": \"@email\" }", File.ReadAllText(Path.Combine(generated, "Mappings.Generated.WebhookContactMapping.g.cs")));

        // 3. It runs: its events through its own mapper, explained, and its examples.
        string app = Path.Combine(consumer, "bin", "Release", "net10.0", "Webhook.Consumer.dll");
        const string config = """{"Config":{"host":"hooks.acme.test","apiKey":"k-1"}}""";
        string[] items =
        [
            Item("""{"type":"identify","userId":"u-1","traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","plan":"professional"}}""", config),
            Item("""{"type":"track","event":"Signed Up","anonymousId":"a-9","properties":{"source":"ad"}}""", config),
            Item("""{"type":"track","event":"Order Completed","userId":"u-1","properties":{"order_id":"o-7","revenue":42.5}}""", config),
            Item("""{"type":"group","userId":"u-1"}""", config),
        ];
        string[] lines = Run(consumer, "dotnet", null, [app, "transform"], stdin: string.Join("\n", items) + "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        JsonElement contact = Request(lines[0]);
        Assert.Equal("https://hooks.acme.test/v1/events", contact.GetProperty("endpoint").GetString());
        Assert.Equal("Bearer k-1", contact.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(
            """{"kind":"contact","id":"u-1","email":"ada@example.com","name":"Ada Lovelace","plan":"pro"}""",
            contact.GetProperty("body").GetProperty("JSON").GetProperty("events")[0].GetRawText());
        Assert.Equal(
            """{"kind":"event","name":"Signed Up","userId":"a-9","properties":{"source":"ad"}}""",
            Request(lines[1]).GetProperty("body").GetProperty("JSON").GetProperty("events")[0].GetRawText());
        Assert.Equal(
            """{"kind":"order","userId":"u-1","total":42.5,"title":"Order o-7"}""",
            Request(lines[2]).GetProperty("body").GetProperty("JSON").GetProperty("events")[0].GetRawText());
        using (JsonDocument error = JsonDocument.Parse(lines[3]))
        {
            Assert.Equal(400, error.RootElement[0].GetProperty("statusCode").GetInt32());
            Assert.Equal("The webhook takes identify and track events only", error.RootElement[0].GetProperty("error").GetString());
        }

        string explanation = Run(consumer, "dotnet", null, [app, "explain"], stdin: items[0] + "\n");
        Assert.Contains("email = \"ada@example.com\"\n      rule  mappings/webhook/contact.json:8  { \"key\": \"email\", \"paths\": \"@email\" }\n      uses  @email  mappings/common.json:6\n      from  traits.email", explanation);
        Assert.Contains("then  mapped \"professional\" → \"pro\" by the value map", explanation);
        Assert.Contains("2 examples, 0 failed", Run(consumer, "dotnet", null, [app, "examples"]));

        // 4. Editors find the schemas of the package version once copied beside the mapping files.
        Run(consumer, "dotnet", isolated, "msbuild", "-t:UpdateMappingsSchemas", "-nodeReuse:false");
        Assert.True(File.Exists(Path.Combine(consumer, "mappings", "mappings.schema.json")));
        Assert.True(File.Exists(Path.Combine(consumer, "mappings", "example.schema.json")));

        // 5. A mistake in a mapping file fails the consumer's build at the file's line and column.
        string contactFile = Path.Combine(consumer, "mappings", "webhook", "contact.json");
        File.WriteAllText(contactFile, File.ReadAllText(contactFile).Replace("\"paths\": \"@email\"", "\"paths\": \"@emial\"", StringComparison.Ordinal));
        string broken = Run(consumer, "dotnet", isolated, ["build", "-c", "Release", "-nodeReuse:false"], expectFailure: true);
        Assert.Contains($"{contactFile}(8,34): error MAP004: Path list '@emial' is not defined. Define it or use one of: @userId, @email.", broken);
        output.WriteLine($"total {_clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string Item(string message, string destination) =>
        "{\"message\":" + message + ",\"metadata\":{\"jobId\":1},\"destination\":" + destination + "}";

    private static JsonElement Request(string line)
    {
        using JsonDocument entries = JsonDocument.Parse(line);
        JsonElement entry = entries.RootElement[0];
        Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
        return entry.GetProperty("output").Clone();
    }

    private static string[] Entries(ZipArchive package) => package.Entries.Select(e => e.FullName).ToArray();

    // ------------------------------------------------------------------ processes

    private string Run(string directory, string program, params string[] arguments) => Run(directory, program, null, arguments);

    private string Run(string directory, string program, Dictionary<string, string>? environment, params string[] arguments) =>
        Run(directory, program, environment, arguments, stdin: null);

    private string Run(string directory, string program, Dictionary<string, string>? environment, string[] arguments, string? stdin = null, bool expectFailure = false)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        // The test host runs under `dotnet test`: MSBuild's variables must not leak into these builds.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;

        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        Task<string> error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} took more than 5 minutes");
        }

        string all = text + error.Result;
        output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {program} {string.Join(' ', arguments)} (exit {process.ExitCode})");
        if (expectFailure)
        {
            Assert.True(process.ExitCode != 0, $"{program} {string.Join(' ', arguments)} succeeded; it should have failed:\n{all}");
        }
        else
        {
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}):\n{all}");
        }

        return all;
    }

    // ------------------------------------------------------------------ files

    /// <summary>What packing needs: the two projects, the build settings they import, the files they pack.</summary>
    private static void CopySources(string to)
    {
        string root = RepositoryRoot;
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "global.json", "docs/packaging.md", "mappings/mappings.schema.json", "mappings/example.schema.json" })
        {
            string target = Path.Combine(to, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(root, file), target);
        }

        foreach (string project in PackedProjects)
        {
            CopyDirectory(Path.Combine(root, project), Path.Combine(to, project));
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            string first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj") continue;
            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mappings.sln"))) return dir.FullName;
            }

            throw new DirectoryNotFoundException("No Mappings.sln above the test binaries: run the tests inside the repository.");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
