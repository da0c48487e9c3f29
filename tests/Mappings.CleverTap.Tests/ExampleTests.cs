using System.Reflection;
using System.Text.Json.Nodes;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Examples;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// Every example of every destination (<c>mappings/&lt;destination&gt;/examples/*.json</c>) gives
/// its expected outcome through the destination's compiled mapping — the processor transform the
/// service runs. A failure names the example file and lists the differences by JSON path.
/// </summary>
public sealed class ExampleTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var (_, file) in ExampleRunner.Find(MappingsDirectory)) data.Add(Relative(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_gives_its_expected_outcome(string example)
    {
        string destination = example.Split('/')[1];
        var result = ExampleRunner.Run(Destination(destination), MappingExample.Load(Path.Combine(Root, example), example));
        Assert.True(result.Passed, result.Report());
    }

    [Fact]
    public void Every_destination_folder_has_examples_and_a_compiled_destination()
    {
        var folders = ExampleRunner.Find(MappingsDirectory).Select(e => e.Destination).Distinct().ToList();
        Assert.Contains("clevertap", folders);
        Assert.True(ExampleRunner.Find(MappingsDirectory).Count() >= 20, "the CleverTap examples are the integrators' documentation: keep them");
        foreach (string folder in folders) Assert.NotNull(Destination(folder));
    }

    [Fact]
    public void A_changed_expected_value_fails_naming_the_file_and_the_json_path()
    {
        const string file = "mappings/clevertap/examples/identify-profile.json";
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, file)))!;
        Assert.Equal("ada@example.com", (string?)json["expected"]!["records"]![0]!["profileData"]!["Email"]);
        json["expected"]!["records"]![0]!["profileData"]!["Email"] = "ada@example.org";
        var result = ExampleRunner.Run(CleverTapMapper.Instance, MappingExample.Parse(json.ToJsonString(), file));

        Assert.False(result.Passed);
        string report = result.Report();
        Assert.StartsWith(file + ": the outcome differs from \"expected\"", report);
        Assert.Contains("$.records[0].profileData.Email: expected \"ada@example.org\", actual \"ada@example.com\"", report);
    }

    [Fact]
    public void An_expected_error_fails_against_records_and_statTags_count_only_when_given()
    {
        const string file = "mappings/clevertap/examples/error-unsupported-type.json";
        string text = File.ReadAllText(Path.Combine(Root, file));
        Assert.True(ExampleRunner.Run(CleverTapMapper.Instance, MappingExample.Parse(text, file)).Passed);

        var wrong = ExampleRunner.Run(CleverTapMapper.Instance, MappingExample.Parse(text.Replace("\"group\"", "\"identify\""), file));
        Assert.Contains(wrong.Differences, d => d.Path == "$.error" && d.Actual is null);
        Assert.Contains(wrong.Differences, d => d.Path == "$.records" && d.Expected is null);
    }

    [Theory]
    [InlineData("confg")]
    [InlineData("Message")]
    [InlineData("notes")]
    public void An_example_with_an_unknown_key_is_refused_naming_the_file_and_the_key(string key)
    {
        string text = $$$"""{"description":"d","config":{},"{{{key}}}":{},"message":{"type":"identify"},"expected":{"records":[]}}""";
        var error = Assert.Throws<FormatException>(() => MappingExample.Parse(text, "mappings/clevertap/examples/typo.json"));
        Assert.StartsWith($"mappings/clevertap/examples/typo.json: unknown key \"{key}\"", error.Message);

        // The keys of the schema are all accepted.
        Assert.Equal("{}", MappingExample.Parse("""{"$schema":"../../example.schema.json","description":"d","config":{},"message":{},"expected":{"records":[]}}""", "ok.json").ConfigJson);
    }

    /// <summary>The compiled destination of a folder of <c>mappings/</c>: a <see cref="DestinationMapper"/> of the generated code whose type is the folder's name.</summary>
    private static DestinationMapper Destination(string folder)
    {
        var mappers = typeof(CleverTapMapper).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(DestinationMapper)) && !t.IsAbstract)
            .Select(t => (DestinationMapper)t.GetField("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!);
        return mappers.SingleOrDefault(m => string.Equals(m.DestType, folder, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"mappings/{folder} has examples but no compiled destination of that name");
    }

    private static string Relative(string file) => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');

    private static string MappingsDirectory => Path.Combine(Root, "mappings");

    internal static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mappings.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("No Mappings.sln above the test binaries: run the tests inside the repository.");
    });

    internal static string Root => s_root.Value;
}
