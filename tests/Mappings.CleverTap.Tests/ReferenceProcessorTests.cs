using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>The reference project's own 29 processor test cases (conformance/reference/processor).</summary>
public sealed class ReferenceProcessorTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/processor"), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void All_29_vectors_are_present() => Assert.Equal(29, Directory.GetFiles(SharedFiles.Path("conformance/reference/processor"), "*.json").Length);

    [Theory]
    [MemberData(nameof(Files))]
    public void Vector_matches_the_reference(string file)
    {
        ReadOnlyMemory<byte> json = File.ReadAllBytes(Path.Combine(SharedFiles.Path("conformance/reference/processor"), file));
        var body = JsonSlices.At(json, "input", "request", "body") ?? throw new InvalidDataException("no input.request.body");
        var expected = JsonSlices.At(json, "output", "response", "body") ?? throw new InvalidDataException("no output.response.body");

        // The processor answers one request item at a time; the response body is their entries in order.
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var actual = new ByteBuffer();
        actual.Append((byte)'[');
        bool first = true;
        foreach (var item in JsonSlices.Elements(body))
        {
            var entries = new ByteBuffer();
            transformer.TransformItem(item.Span, entries);
            var inner = entries.WrittenSpan[1..^1];
            if (inner.Length == 0) continue;
            if (!first) actual.Append((byte)',');
            actual.Append(inner);
            first = false;
        }
        actual.Append((byte)']');

        string? diff = new JsonComparer().CompareProcessorEntries(expected.Span, actual.WrittenSpan);
        Assert.True(diff is null, $"{file}\n{diff}\nactual: {Encoding.UTF8.GetString(actual.WrittenSpan)}");
    }
}
