using System.Collections.Immutable;
using System.Reflection;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Emitting;
using Mappings.Generators.Helpers;
using Mappings.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Tests;

public sealed class EquatableArrayTests
{
    [Fact]
    public void Arrays_with_equal_elements_in_the_same_order_are_equal()
    {
        EquatableArray<string> left = ImmutableArray.Create("a", "b");
        EquatableArray<string> right = ImmutableArray.Create("a", "b");

        Assert.Equal(left, right);
        Assert.True(left == right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, ImmutableArray.Create("b", "a"));
        Assert.NotEqual(left, ImmutableArray.Create("a"));
    }

    [Fact]
    public void Default_is_empty()
    {
        EquatableArray<string> none = default;

        Assert.Equal(EquatableArray<string>.Empty, none);
        Assert.Empty(none);
        Assert.Equal(EquatableArray<string>.Empty.GetHashCode(), none.GetHashCode());
    }

    [Fact]
    public void Records_holding_arrays_compare_by_content()
    {
        var first = new Result<string>("x", EquatableArray.Create(Info("a")));
        var second = new Result<string>("x", EquatableArray.Create(Info("a")));

        Assert.Equal(first, second);
        Assert.NotEqual(first, second with { Diagnostics = EquatableArray.Create(Info("b")) });
    }

    private static DiagnosticInfo Info(string arg)
        => DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJson, "/repo/mappings/a.json", Microsoft.CodeAnalysis.Text.SourceText.From("{}"), default, "a.json", arg);
}

public sealed class MappingFilePathTests
{
    [Theory]
    [InlineData("/repo/mappings/clevertap/profile.json", true)]
    [InlineData("/repo/mappings/common.json", true)]
    [InlineData(@"C:\repo\mappings\clevertap\profile.JSON", true)]
    [InlineData("/repo/Mappings/x.json", true)]
    [InlineData("/repo/mappings/clevertap/profile.md", false)]
    [InlineData("/repo/mappings.json", false)]
    [InlineData("/repo/src/mappings-old/x.json", false)]
    [InlineData("mappings.json", false)]
    public void Recognises_json_files_below_a_mappings_directory(string path, bool expected)
        => Assert.Equal(expected, MappingFilePath.IsMappingFile(path));

    [Theory]
    [InlineData("/repo/mappings/clevertap/profile.json", "clevertap/profile.json", "ClevertapProfile")]
    [InlineData(@"C:\repo\mappings\common.json", "common.json", "Common")]
    [InlineData("/home/u/mappings/repo/mappings/clevertap/event-rules_v2.json", "clevertap/event-rules_v2.json", "ClevertapEventRulesV2")]
    [InlineData("/repo/mappings/2fa.json", "2fa.json", "_2fa")]
    public void Derives_relative_path_and_type_name(string path, string relativePath, string identifier)
    {
        Assert.Equal(relativePath, MappingFilePath.GetRelativePath(path));
        Assert.Equal(identifier, MappingFilePath.ToIdentifier(relativePath));
    }
}

public sealed class TemplateRendererTests
{
    [Fact]
    public void A_model_without_the_members_the_template_uses_fails_with_the_template_name()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => TemplateRenderer.Placeholder.Render(new { Unrelated = 1 }));

        Assert.Contains("Template 'Placeholder.sbn-cs' failed to render", exception.Message, StringComparison.Ordinal);
        Assert.Contains("RelativePath", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_are_rendered_as_escaped_csharp_literals()
    {
        string code = TemplateRenderer.Placeholder.Render(new Model.MappingFileInfo("odd\"name\\.json", "OddInfo", 0, IsValid: true));

        Assert.Contains("public const string RelativePath = \"odd\\\"name\\\\.json\";", code, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", code, StringComparison.Ordinal);
    }
}

public sealed class DiagnosticDescriptorTests
{
    public static TheoryData<string> DescriptorIds()
    {
        var ids = new TheoryData<string>();
        foreach (DiagnosticDescriptor descriptor in AllDescriptors())
        {
            ids.Add(descriptor.Id);
        }

        return ids;
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_has_a_docs_page_a_valid_help_link_and_a_release_entry(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        string repositoryRoot = RepositoryRoot();

        Assert.Matches("^MAP[0-9]{3}$", id);
        Assert.Equal(DiagnosticDescriptors.Category, descriptor.Category);
        Assert.Equal($"repo:docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out _), $"{descriptor.HelpLinkUri} is not an absolute URI");
        Assert.True(File.Exists(Path.Combine(repositoryRoot, "docs", "diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");
        string releases = File.ReadAllText(Path.Combine(repositoryRoot, "generators", "Mappings.Generators", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(repositoryRoot, "generators", "Mappings.Generators", "AnalyzerReleases.Shipped.md"));
        Assert.Contains(id, releases, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_unique()
    {
        string[] ids = AllDescriptors().Select(d => d.Id).ToArray();
        Assert.Equal(ids.Distinct().Count(), ids.Length);
    }

    private static DiagnosticDescriptor[] AllDescriptors()
        => typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}

public sealed class SnapshotDiffTests
{
    [Fact]
    public void Shows_changed_lines_with_context_in_unified_hunks()
    {
        string expected = string.Concat(Enumerable.Range(1, 20).Select(i => $"line {i}\n"));
        string actual = expected.Replace("line 3\n", "line three\n").Replace("line 15\n", "line 15\nline 15b\n");

        string diff = Snapshot.Diff(expected, actual, "x.verified.cs", "x.received.cs");

        Assert.Equal(
            """
            --- x.verified.cs
            +++ x.received.cs
            @@ -1,6 +1,6 @@
             line 1
             line 2
            -line 3
            +line three
             line 4
             line 5
             line 6
            @@ -13,6 +13,7 @@
             line 13
             line 14
             line 15
            +line 15b
             line 16
             line 17
             line 18

            """.Replace("\r\n", "\n"),
            diff);
    }

    [Fact]
    public void Makes_trailing_whitespace_visible()
        => Assert.Contains("+x··", Snapshot.Diff("x\n", "x  \n"), StringComparison.Ordinal);
}
