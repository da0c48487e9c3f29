using System.Reflection;
using System.Text.RegularExpressions;
using Mappings.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Tests;

/// <summary>
/// The catalog (<c>Diagnostics/DiagnosticDescriptors.cs</c>): every descriptor has a help link to its
/// page <c>docs/diagnostics/MAPnnn.md</c>, the page exists and is titled like the descriptor, the ID is
/// listed in <c>AnalyzerReleases.Unshipped.md</c> with its category, severity and title, and
/// <see cref="DiagnosticTests"/> has a test for it.
/// </summary>
public sealed class DiagnosticCatalogTests
{
    public static TheoryData<string> DescriptorIds() => new(DiagnosticDescriptors.All.Select(d => d.Id));

    [Fact]
    public void All_lists_every_descriptor_in_ID_order_without_gaps()
    {
        DiagnosticDescriptor[] declared = typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

        Assert.Equal(declared.Select(d => d.Id).Order(StringComparer.Ordinal), DiagnosticDescriptors.All.Select(d => d.Id));
        Assert.Equal(Enumerable.Range(1, declared.Length).Select(i => $"MAP{i:000}"), DiagnosticDescriptors.All.Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_has_a_help_link_to_its_docs_page(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);

        Assert.Equal(DiagnosticDescriptors.Category, descriptor.Category);
        Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal($"repo:docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out _), $"{descriptor.HelpLinkUri} is not an absolute URI");

        string page = Path.Combine(RepositoryFiles.Root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"docs/diagnostics/{id}.md is missing");
        string[] lines = File.ReadAllLines(page);
        Assert.Equal($"# {id}: {descriptor.Title}", lines[0]);
        Assert.Contains(lines, l => l.Contains($"error {id}: ", StringComparison.Ordinal)); // an example in compiler-output form
        Assert.Contains(lines, l => l.StartsWith("## How to fix", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_has_a_release_entry(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);
        string unshipped = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "generators", "Mappings.Generators", "AnalyzerReleases.Unshipped.md"));

        Match row = Regex.Match(unshipped, $@"^{id}\s*\|\s*(?<category>[^|]+?)\s*\|\s*(?<severity>[^|]+?)\s*\|\s*(?<notes>.+?)\s*$", RegexOptions.Multiline);
        Assert.True(row.Success, $"AnalyzerReleases.Unshipped.md has no row for {id}");
        Assert.Equal(descriptor.Category, row.Groups["category"].Value);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Groups["severity"].Value);
        Assert.Equal(descriptor.Title.ToString(), row.Groups["notes"].Value);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_has_a_test_that_triggers_it(string id)
    {
        string[] tests = typeof(DiagnosticTests)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsDefined(typeof(FactAttribute), inherit: true))
            .Select(m => m.Name)
            .ToArray();

        Assert.Contains(tests, name => name.StartsWith(id + "_", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_docs_page_belongs_to_a_descriptor()
    {
        string[] pages = Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "docs", "diagnostics"), "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToArray()!;

        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id), pages);
    }

    private static DiagnosticDescriptor Descriptor(string id) => DiagnosticDescriptors.All.Single(d => d.Id == id);
}
