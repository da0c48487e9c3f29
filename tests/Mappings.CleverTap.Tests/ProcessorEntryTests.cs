using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// Success entries reuse the start of the request rendered for the previous config (see
/// ProcessorEntryWriter). Every entry must still be byte for byte what the plain envelope writer
/// gives for that event, whatever came before it.
/// </summary>
public sealed class ProcessorEntryTests
{
    [Fact]
    public void Entries_equal_the_plain_envelope_whatever_came_before()
    {
        var cases = ConformanceCases.Load("conformance/corpus/cases.jsonl")
            .Concat(ConformanceCases.Load("conformance/foreign/cases.jsonl"))
            .ToList();
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        var expected = new ByteBuffer();
        int compared = 0, records = 0;
        // Forwards, then each case twice in a row (the second answered from the remembered head).
        foreach (var c in cases.Concat(cases.SelectMany(c => new[] { c, c })))
        {
            output.Clear();
            if (transformer.TransformItem(c.Input.Span, output) != ItemOutcome.Succeeded) continue;
            var context = transformer.Context;
            expected.Clear();
            using (var writer = new Utf8JsonWriter(expected, JsonWriterExtensions.Options))
            {
                writer.WriteStartArray();
                foreach (int record in context.Records)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName(ProtocolNames.Output.Encoded);
                    // The endpoint computed afresh (the transformer skips it when it reuses a head).
                    int endpoint = CleverTapMapper.Instance.Endpoint(context.Heap, context.Config);
                    RequestEnvelope.Write(writer, CleverTapMapper.Instance, context.Heap, context.Config, endpoint, [record], RequestEnvelope.Trailer.UserId);
                    context.Heap.WriteMember(writer, ProtocolNames.Metadata, context.Metadata);
                    writer.WriteNumber(ProtocolNames.StatusCode.Encoded, 200);
                    writer.WriteEndObject();
                    records++;
                }
                writer.WriteEndArray();
            }
            Assert.True(expected.WrittenSpan.SequenceEqual(output.WrittenSpan),
                $"{c}:\nexpected {Encoding.UTF8.GetString(expected.WrittenSpan)}\nactual   {Encoding.UTF8.GetString(output.WrittenSpan)}");
            compared++;
        }
        Assert.True(compared > 6000, $"only {compared} successes compared");
        Assert.True(records > compared, "no event with two records (identify + device token) was compared");
    }

    [Fact]
    public void A_changed_config_is_rendered_again()
    {
        var item = ConformanceCases.Load("conformance/corpus/cases.jsonl")
            .First(c => c.Tags.Contains("kind:identify") && Encoding.UTF8.GetString(c.Input.Span).Contains("\"passcode\":\""))
            .Input.ToArray();
        string text = Encoding.UTF8.GetString(item);
        int at = text.IndexOf("\"passcode\":\"", StringComparison.Ordinal) + "\"passcode\":\"".Length;
        string passcode = text[at..text.IndexOf('"', at)];
        byte[] changed = Encoding.UTF8.GetBytes(text[..at] + "changed-" + text[at..]);

        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        Assert.Equal(ItemOutcome.Succeeded, transformer.TransformItem(item, output));
        Assert.Contains($"\"X-CleverTap-Passcode\":\"{passcode}\"", Encoding.UTF8.GetString(output.WrittenSpan));

        output.Clear();
        Assert.Equal(ItemOutcome.Succeeded, transformer.TransformItem(changed, output));
        Assert.Contains($"\"X-CleverTap-Passcode\":\"changed-{passcode}\"", Encoding.UTF8.GetString(output.WrittenSpan));

        output.Clear();
        Assert.Equal(ItemOutcome.Succeeded, transformer.TransformItem(item, output));
        Assert.Contains($"\"X-CleverTap-Passcode\":\"{passcode}\"", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
