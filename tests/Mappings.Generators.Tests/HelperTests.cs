using System.Collections.Immutable;
using System.Reflection;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Emitting;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
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
        var file = new ParsedFile(MappingFileKind.Other, string.Empty, "a.json", null, null, null);
        var first = new FileParseResult(file, EquatableArray.Create(Info("a")), EquatableArray<Reference>.Empty);
        var second = new FileParseResult(file, EquatableArray.Create(Info("a")), EquatableArray<Reference>.Empty);

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
        Assert.Equal(identifier, Identifier.Pascal(relativePath));
    }
}

public sealed class TemplateRendererTests
{
    [Fact]
    public void A_model_without_the_members_the_template_uses_fails_with_the_template_name()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => TemplateRenderer.InvalidMapping.Render(new { Unrelated = 1 }));

        Assert.Contains("Template 'InvalidMapping.sbn-cs' failed to render", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_are_rendered_as_escaped_csharp_literals()
    {
        string code = TemplateRenderer.InvalidMapping.Render(new MappingView
        {
            Namespace = "Mappings.Generated",
            ClassName = "OddMapping",
            LetsType = "OddLets",
            RelativePath = "odd\"name\\.json",
            MappingName = "odd",
        });

        Assert.Contains("""throw new InvalidOperationException("mappings/odd\"name\\.json has errors; fix them and rebuild.")""", code, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", code, StringComparison.Ordinal);
    }
}

public sealed class MappingParserHelperTests
{
    [Theory]
    [InlineData("traits.email", null)]
    [InlineData("a", null)]
    [InlineData("integrations.CleverTap.deviceTokenType", null)]
    [InlineData("", "it is empty")]
    [InlineData("$config.region", "only a message path is allowed here")]
    [InlineData("@userId", "only a message path is allowed here")]
    [InlineData(" traits", "it starts or ends with white space")]
    [InlineData(".traits", "it starts with '.'")]
    [InlineData("traits.", "it ends with '.'")]
    [InlineData("traits..email", "it has an empty segment ('..')")]
    public void Message_paths_are_dot_separated_non_empty_names(string path, string? error)
        => Assert.Equal(error, MappingParser.MessagePathError(path));

    [Theory]
    [InlineData("$message", true, null)]
    [InlineData("$message.traits.overrideFields", true, null)]
    [InlineData("$message.0.length", true, null)]
    [InlineData("$message.a b", true, null)]
    [InlineData("$message.", true, "it ends with '.'.")]
    [InlineData("$message..a", true, "it has an empty property name ('..').")]
    [InlineData("$message.a..b", true, "it has an empty property name ('..').")]
    [InlineData("$message.a ", true, "it ends with white space.")]
    [InlineData("$message.a\\.b", true, "a backslash does not escape '.' here")]
    [InlineData("$messages.a", false, null)]
    [InlineData("$messageId", false, null)]
    [InlineData("message.a", false, null)]
    public void Direct_access_is_message_then_non_empty_names_without_escapes(string text, bool direct, string? error)
    {
        Assert.Equal(direct, MappingParser.IsDirectAccess(text));
        if (direct)
        {
            string? actual = MappingParser.DirectAccessError(text);
            Assert.True(error is null ? actual is null : actual is not null && actual.StartsWith(error, StringComparison.Ordinal), actual);
        }
    }

    [Theory]
    [InlineData("userId", true)]
    [InlineData("_x1", true)]
    [InlineData("1x", false)]
    [InlineData("first-name", false)]
    [InlineData("é", false)]
    [InlineData("", false)]
    public void Names_are_ascii_identifiers(string name, bool expected)
        => Assert.Equal(expected, MappingParser.IsIdentifier(name));

    [Theory]
    [InlineData("common.json", "Common", "")]
    [InlineData("clevertap/destination.json", "Destination", "clevertap")]
    [InlineData("clevertap/track.json", "Mapping", "clevertap")]
    [InlineData("mappings.schema.json", "Other", "")]
    [InlineData("clevertap/notes/x.json", "Other", "clevertap")]
    public void A_files_kind_and_destination_come_from_its_place(string relativePath, string kind, string destination)
        => Assert.Equal((Enum.Parse<MappingFileKind>(kind), destination), MappingParser.Classify(relativePath));

    [Theory]
    [InlineData("clevertap/track.json", "track")]
    [InlineData("clevertap/order-completed.json", "order-completed")]
    public void A_mappings_name_is_its_file_name(string relativePath, string name)
        => Assert.Equal(name, MappingParser.MappingName(relativePath));

    [Fact]
    public void A_template_splits_into_literals_and_named_values()
    {
        ImmutableArray<TemplatePart>? parts = MappingParser.SplitTemplate("Web Page Viewed: {{ value }}!", out string? error, out HashSet<string> used);

        Assert.Null(error);
        Assert.Equal(
            [new TemplatePart("Web Page Viewed: ", null), new TemplatePart(null, "value"), new TemplatePart("!", null)],
            parts!.Value.ToArray());
        Assert.Equal(["value"], used);
    }

    [Theory]
    [InlineData("a {{b", "'{{' at position 3 is never closed with '}}'")]
    [InlineData("a }} b", "'}}' at position 3 closes nothing")]
    [InlineData("{{a-b}}", "'{{a-b}}' must name a value with letters, digits and '_'")]
    public void A_broken_template_says_what_is_wrong(string template, string expected)
    {
        Assert.Null(MappingParser.SplitTemplate(template, out string? error, out _));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("q\"b\\", "\"q\\\"b\\\\\"")]
    [InlineData("\n\t\u0001<>&'/\u2028é", "\"\\n\\t\\u0001<>&'/\u2028é\"")]
    public void Json_strings_are_escaped_as_JSON_stringify_escapes_them(string value, string expected)
        => Assert.Equal(expected, JsonText.Quote(value));

    [Theory]
    [InlineData("""{"a": [1, 2.50, true, null], "b": "x"}""", """{"a":[1,2.50,true,null],"b":"x"}""")]
    [InlineData("""/* c */ "s" // c""", "\"s\"")]
    public void Constants_are_kept_as_compact_JSON_with_numbers_as_written(string json, string expected)
        => Assert.Equal(expected, MappingParser.ToJson(Mappings.Generators.Parsing.Jsonc.JsoncReader.Parse(json)));
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
