using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>What the second review of the review fixes found, one test per finding (each failed before its fix).</summary>
public sealed class Review2FindingsTests
{
    private static List<JsonElement> Processor(string body, long? maxEventOutput = null)
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        if (maxEventOutput is { } limit) transformer.MaxEventOutputBytes = limit;
        var output = new ByteBuffer();
        Assert.Equal(200, transformer.TransformRequest(Encoding.UTF8.GetBytes(body), output));
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>
    /// DynamicConfig.ShapeError fails an event whose resolved Config, written out, is larger than
    /// the event's output limit (D8). A processor entry never contains the destination or its
    /// Config: here the template moves a 100 KB object property out of the message into an unused Config
    /// key, so the entry is small (the property is gone from it), and the reference answers 200.
    /// D8 fails only items whose response entries would exceed the limit.
    /// </summary>
    [Fact]
    public void Processor_does_not_fail_an_event_for_the_size_of_a_config_it_never_writes()
    {
        string blob = new('b', 100_000);
        string item = $$$$"""{"message":{"type":"track","event":"e","userId":"u","properties":{"blob":{"s":"{{{{blob}}}}"},"k":1}},"metadata":{"jobId":1,"destinationId":"d1"},"destination":{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","unused":"{{ message.properties.blob || d }}"}}}""";
        var entries = Processor("[" + item + "]", maxEventOutput: 64 * 1024);
        var entry = Assert.Single(entries);
        Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
        Assert.DoesNotContain(blob, entry.GetRawText());
    }

    private static List<JsonElement> Router(string body, int? maxWriterToken = null)
    {
        var transformer = new RouterTransformer(CleverTapMapper.Instance);
        if (maxWriterToken is { } token) transformer.Heap.MaxWriterToken = token;
        var output = new ByteBuffer();
        Assert.Equal(200, transformer.Transform(Encoding.UTF8.GetBytes(body), output));
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        return doc.RootElement.GetProperty("output").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>
    /// The router's WriteError falls back to an entry with neither metadata nor destination when
    /// either cannot be written (a name longer than the writer takes; lowered to 1,000 bytes here).
    /// When only the destination holds such a name, the metadata could be echoed, but it is
    /// dropped too ("metadata": []): the job is answered without its jobId. The input mapped
    /// fine; the probe of RecordsFit (which now writes the destination) fails it, and its error
    /// entry loses the metadata.
    /// </summary>
    [Fact]
    public void Router_error_entry_keeps_writable_metadata_when_only_the_destination_cannot_be_written()
    {
        string destination = "{\"ID\":\"d1\",\"Config\":{\"accountId\":\"acc\",\"passcode\":\"pc\"},\"\\u006b" + new string('k', 2000) + "\":1}";
        string bad = """{"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":1,"destinationId":"d1"},"destination":""" + destination + "}";
        var entries = Router("""{"input":[""" + bad + """],"destType":"CLEVERTAP"}""", maxWriterToken: 1000);
        var failed = Assert.Single(entries, e => e.GetProperty("statusCode").GetInt32() == 400);
        Assert.Equal("""[{"jobId":1,"destinationId":"d1"}]""", failed.GetProperty("metadata").GetRawText());
    }
}
