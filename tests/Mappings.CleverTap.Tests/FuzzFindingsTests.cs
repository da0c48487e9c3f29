using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// Inputs the fuzz targets (tests/Mappings.Fuzz) found failing, shrunk to their smallest form,
/// as regular tests of the behaviour the spec asks for.
/// </summary>
public sealed class FuzzFindingsTests
{
    private const string Destination = """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"enableObjectIdMapping":true}}""";

    private static string Item(int job, string message) =>
        $$$"""{"message":{{{message}}},"metadata":{"jobId":{{{job}}}},"destination":{{{Destination}}}}""";

    private static string Good(int job) => Item(job, $$$"""{"type":"track","event":"Signed Up","userId":"u{{{job}}}"}""");

    /// <summary>
    /// Found by the router target (mutation run, seed 23). In the properties of an
    /// <c>Order Completed</c> event (mapped to Charged, whose properties are written with
    /// set-value, so dotted keys are paths), a key such as <c>"x.14000000"</c> asks for a sparse array whose output passes the 64 MiB limit of one event (D8): the router
    /// measures such an input's records before writing the answer, when the array slots its path
    /// writes asked for could pass the limit. A second key with an index too large for any array,
    /// <c>"x.1e21"</c>, makes that count saturate (JsHeap.NoteArraySlots adds long.MaxValue / 4),
    /// and <c>arraySlots * 5</c> in RouterTransformer.RecordsFit overflows to a negative number:
    /// the records are not measured, and writing the batch throws OutputLimitException (kind
    /// Event) out of Transform — the whole request fails (the service answers 500) instead of
    /// the one input (400, D8). Four such keys overflow the count itself. The processor, which
    /// stages every entry in a bounded buffer, fails the item alone as it should.
    /// </summary>
    [Fact]
    public void A_huge_index_beside_a_large_sparse_array_still_fails_only_its_router_input()
    {
        string bad = Item(2, """{"type":"track","event":"Order Completed","userId":"u","properties":{"x.14000000":1,"x.1e21":true}}""");
        string body = $$$"""{"input":[{{{Good(1)}}},{{{bad}}},{{{Good(3)}}}],"destType":"CLEVERTAP"}""";

        var output = new ByteBuffer();
        int status = new RouterTransformer(CleverTapMapper.Instance).Transform(Encoding.UTF8.GetBytes(body), output);

        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        var jobs = doc.RootElement.GetProperty("output").EnumerateArray()
            .SelectMany(e => e.GetProperty("metadata").EnumerateArray().Select(m => (m.GetProperty("jobId").GetInt32(), e.GetProperty("statusCode").GetInt32())))
            .OrderBy(j => j.Item1).ToList();
        Assert.Equal([(1, 200), (2, 400), (3, 200)], jobs);
        var error = doc.RootElement.GetProperty("output").EnumerateArray().Single(e => e.GetProperty("statusCode").GetInt32() == 400);
        Assert.Contains("larger than 64 MiB", error.GetProperty("error").GetString());
    }

    /// <summary>The same input through the processor: it fails alone (D8), as it should.</summary>
    [Fact]
    public void A_huge_index_beside_a_large_sparse_array_fails_only_its_processor_item()
    {
        string bad = Item(2, """{"type":"track","event":"Order Completed","userId":"u","properties":{"x.14000000":1,"x.1e21":true}}""");
        var output = new ByteBuffer();
        int status = new ProcessorTransformer(CleverTapMapper.Instance).TransformRequest(Encoding.UTF8.GetBytes($"[{Good(1)},{bad},{Good(3)}]"), output);

        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        var statuses = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("statusCode").GetInt32()).ToList();
        Assert.Equal([200, 400, 200], statuses);
        Assert.Contains("larger than 64 MiB", doc.RootElement[1].GetProperty("error").GetString());
    }
}
