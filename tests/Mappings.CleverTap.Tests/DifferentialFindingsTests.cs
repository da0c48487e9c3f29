using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The behaviours found by differential testing against the reference (spec §14.13), one table per
/// rule, each with inputs beyond the adversarial files' reproducers. Every processor case is sent
/// between two good items, which must come out as they do alone (a bad item fails alone, D1).
/// </summary>
public sealed class DifferentialFindingsTests
{
    private const string Meta = """{"jobId":7,"destinationId":"d1","workspaceId":"w1"}""";
    private const string Config = """{"accountId":"acc","passcode":"pc","trackAnonymous":true}""";
    private const string GoodItem = """{"message":{"type":"track","event":"Signed Up","userId":"u1"},"metadata":{"jobId":1},"destination":{"ID":"d1","Config":{"accountId":"acc","passcode":"pc"}}}""";

    private static string Item(string message, string destination) => $$$"""{"message":{{{message}}},"metadata":{{{Meta}}},"destination":{{{destination}}}}""";

    private static string WithConfig(string config) => $$$"""{"ID":"d1","Config":{{{config}}}}""";

    /// <summary>The entry of <paramref name="item"/> sent between two good items (whose entries must be unaffected).</summary>
    private static JsonElement Entry(string item)
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var alone = new ByteBuffer();
        transformer.TransformRequest(Encoding.UTF8.GetBytes("[" + GoodItem + "]"), alone);
        var output = new ByteBuffer();
        Assert.Equal(200, transformer.TransformRequest(Encoding.UTF8.GetBytes($"[{GoodItem},{item},{GoodItem}]"), output));
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        var entries = doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        Assert.Equal(3, entries.Count);
        string good = Encoding.UTF8.GetString(alone.WrittenSpan)[1..^1];
        Assert.Equal(good, entries[0].GetRawText());
        Assert.Equal(good, entries[2].GetRawText());
        return entries[1];
    }

    private static void AssertError(JsonElement entry, string errorType, string? exact = null, string? contains = null)
    {
        Assert.True(entry.GetProperty("statusCode").GetInt32() == 400, entry.GetRawText());
        string error = entry.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error));
        if (exact is not null) Assert.Equal(exact, error);
        if (contains is not null) Assert.Contains(contains, error);
        var tags = entry.GetProperty("statTags");
        Assert.Equal("dataValidation", tags.GetProperty("errorCategory").GetString());
        Assert.Equal(errorType, tags.GetProperty("errorType").GetString());
        Assert.Equal(Meta, entry.GetProperty("metadata").GetRawText());
    }

    private static JsonElement Output(JsonElement entry)
    {
        Assert.True(entry.GetProperty("statusCode").GetInt32() == 200, entry.GetRawText());
        return entry.GetProperty("output");
    }

    private static JsonElement Record(JsonElement entry) => Output(entry).GetProperty("body").GetProperty("JSON").GetProperty("d")[0];

    // ------------------------------------------------------------------ §14.13.1 check order

    /// <summary>message, destination → error, errorType: the type is checked before the Config is required.</summary>
    public static TheoryData<string, string, string, string> CheckOrder => new()
    {
        { """{"type":"group"}""", "{}", "Message type not supported", "instrumentation" },
        { "{}", """{"Config":null}""", "Message Type is not present. Aborting message.", "instrumentation" },
        { """{"type":""}""", """{"Config":5}""", "Message Type is not present. Aborting message.", "instrumentation" },
        { """{"type":" track"}""", """{"ID":"x"}""", "Message type not supported", "instrumentation" },
        { """{"type":null}""", "null", "Message Type is not present. Aborting message.", "instrumentation" },
        { """{"type":7}""", "{}", "type must be a string", "instrumentation" },
        { """{"type":"track","event":"e","userId":"u"}""", "{}", "destination.Config is required: the event's destination has no Config object", "configuration" },
        { """{"type":"IDENTIFY","userId":"u"}""", """{"Config":null}""", "destination.Config is required: the event's destination has no Config object", "configuration" },
        { """{"type":"alias","userId":"u","previousId":"p"}""", "[]", "destination.Config is required: the event's destination has no Config object", "configuration" },
        { """{"type":"page","traits":{"toString.name":1}}""", """{"ID":"d"}""", "destination.Config is required: the event's destination has no Config object", "configuration" },
    };

    [Theory]
    [MemberData(nameof(CheckOrder))]
    public void The_message_type_is_checked_before_the_config(string message, string destination, string error, string errorType) =>
        AssertError(Entry(Item(message, destination)), errorType, exact: error);

    /// <summary>Any Config that is not null or undefined is a Config (a string one included): the event goes on.</summary>
    [Theory]
    [InlineData("\"plain\"")]
    [InlineData("0")]
    [InlineData("[]")]
    [InlineData("false")]
    public void A_config_of_any_other_value_lets_the_event_through(string config) =>
        Assert.Equal("https://api.clevertap.com/1/upload", Output(Entry(Item("""{"type":"track","event":"e","userId":"u"}""", WithConfig(config)))).GetProperty("endpoint").GetString());

    // ------------------------------------------------------------------ §14.13.2 writes through inherited functions

    /// <summary>message → the JavaScript error of the path write (a 500 in the reference, a 400 here: D1).</summary>
    public static TheoryData<string, string> WritesThroughFunctions => new()
    {
        { """{"type":"identify","userId":"u","traits":{"toString.name":1}}""", "Cannot assign to read only property 'name' of function 'function toString() { [native code] }'" },
        { """{"type":"identify","userId":"u","context":{"traits":{"valueOf.length":1}}}""", "Cannot assign to read only property 'length' of function 'function valueOf() { [native code] }'" },
        { """{"type":"identify","userId":"u","traits":{"a":1},"context":{"traits":{"x.0":1,"x.map.name":1}}}""", "Cannot assign to read only property 'name' of function 'function map() { [native code] }'" },
        { """{"type":"identify","userId":"u","traits":{"toString.caller":1}}""", "'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions" },
        { """{"type":"track","event":"Order Completed","userId":"u","properties":{"products":[{}],"valueOf.length":1}}""", "Cannot assign to read only property 'length' of function 'function valueOf() { [native code] }'" },
        { """{"type":"page","event":"order completed","userId":"u","properties":{"hasOwnProperty.apply.name":1}}""", "Cannot assign to read only property 'name' of function 'function apply() { [native code] }'" },
        { """{"type":"track","event":"ORDER COMPLETED","userId":"u","properties":{"products":[{}],"isPrototypeOf.name":"x"}}""", "Cannot assign to read only property 'name' of function 'function isPrototypeOf() { [native code] }'" },
        { """{"type":"screen","event":"Order Completed","userId":"u","properties":{"products":[[]],"toString.arguments.x":1}}""", "'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions" },
        { """{"type":"page","event":["Order Completed"],"userId":"u","properties":{"products":[null],"a.valueOf.name":1}}""", "Cannot assign to read only property 'name' of function 'function valueOf() { [native code] }'" },
    };

    [Theory]
    [MemberData(nameof(WritesThroughFunctions))]
    public void A_path_write_onto_a_read_only_function_property_fails_the_event(string message, string error) =>
        AssertError(Entry(Item(message, WithConfig(Config))), "instrumentation", contains: error);

    /// <summary>Writes that walk into a function without touching its read-only properties change nothing and fail nothing.</summary>
    [Theory]
    [InlineData("""{"type":"identify","userId":"u","traits":{"toString.x":1,"k":2}}""", """{"k":2}""")]
    [InlineData("""{"type":"identify","userId":"u","traits":{"valueOf.call.y":1,"k":2}}""", """{"k":2}""")]
    [InlineData("""{"type":"identify","userId":"u","traits":{"a.toString.x":1}}""", """{"a":"{}"}""")]
    public void A_path_write_into_a_function_otherwise_goes_nowhere(string message, string profileData) =>
        Assert.Equal(profileData, Record(Entry(Item(message, WithConfig(Config)))).GetProperty("profileData").GetRawText());

    /// <summary>The properties of other track/page/screen events are copied as they are (§5.5): no path writes, nothing to fail.</summary>
    [Theory]
    [InlineData("track", """{"toString.name":1}""")]
    [InlineData("page", """{"valueOf.caller":1}""")]
    [InlineData("screen", """{"x.0":1,"x.map.name":2}""")]
    public void Other_events_keep_dotted_properties_literally(string type, string properties) =>
        Assert.Equal(properties, Record(Entry(Item($$$"""{"type":"{{{type}}}","event":"Viewed","userId":"u","properties":{{{properties}}}}""", WithConfig(Config)))).GetProperty("evtData").GetRawText());

    // ------------------------------------------------------------------ §14.13.4 writing into an array's length

    [Theory]
    [InlineData("""{"x.0":1,"x.length.0":2}""", "\"[]\"")]
    [InlineData("""{"x.0":1,"x.1":2,"x.length.0.y":3}""", "\"[]\"")]
    [InlineData("""{"x.0":1,"x.1":2,"x.length":1}""", "\"[1]\"")]
    [InlineData("""{"x.0":1,"x.length":"3"}""", "\"[1,null,null]\"")]
    [InlineData("""{"x.0":1,"x.length.0":2,"x.1":5}""", "\"[null,5]\"")]
    public void Writing_into_an_arrays_length_truncates_it(string traits, string x) =>
        Assert.Equal(x, Record(Entry(Item($$$"""{"type":"identify","userId":"u","traits":{{{traits}}}}""", WithConfig(Config)))).GetProperty("profileData").GetProperty("x").GetRawText());

    [Theory]
    [InlineData("""{"x.0":1,"x.length.y":1}""")]
    [InlineData("""{"x.0":1,"x.length":{"n":1}}""")]
    [InlineData("""{"x.0":1,"x.length":-1}""")]
    public void An_invalid_array_length_fails_the_event(string traits) =>
        AssertError(Entry(Item($$$"""{"type":"identify","userId":"u","traits":{{{traits}}}}""", WithConfig(Config))), "instrumentation", contains: "nvalid array length");

    // ------------------------------------------------------------------ §10.5, §14.9, §14.13.5–8 dynamic config

    /// <summary>message, Config → a JSON path into the entry's output and its expected JSON value.</summary>
    public static TheoryData<string, string, string, string> DynamicConfigResults => new()
    {
        // §14.13.6: a template resolving to an inherited function; String() names it.
        { """{"type":"track","event":"e","userId":"u"}""", """{"region":"{{ message.toString || d }}"}""", "endpoint", "\"https://function toString() { [native code] }.api.clevertap.com/1/upload\"" },
        { """{"type":"track","event":"e","userId":"u"}""", """{"region":"{{ metadata.constructor || d }}"}""", "endpoint", "\"https://function Object() { [native code] }.api.clevertap.com/1/upload\"" },
        { """{"type":"track","event":"e","userId":"u","properties":{}}""", """{"region":"{{ message.properties.isPrototypeOf || d }}"}""", "endpoint", "\"https://function isPrototypeOf() { [native code] }.api.clevertap.com/1/upload\"" },
        // A function header value is dropped by JSON.stringify.
        { """{"type":"track","event":"e","userId":"u"}""", """{"accountId":"{{ message.valueOf || d }}","passcode":"p"}""", "headers", """{"X-CleverTap-Passcode":"p","Content-Type":"application/json"}""" },
        // §14.13.7: destination.Config reads the copy being resolved; the path read is deleted from it.
        { """{"type":"track","event":"e","userId":"u"}""", """{"accountId":"{{ destination.Config.passcode || d }}","passcode":"p"}""", "headers", """{"X-CleverTap-Account-Id":"p","Content-Type":"application/json"}""" },
        { """{"type":"track","event":"e","userId":"u"}""", """{"passcode":"{{ destination.Config.accountId || d }}","accountId":"a"}""", "headers", """{"X-CleverTap-Passcode":"a","Content-Type":"application/json"}""" },
        { """{"type":"track","event":"e","userId":"u"}""", """{"region":"in1","accountId":"{{ destination.Config.region || d }}"}""", "endpoint", "\"https://api.clevertap.com/1/upload\"" },
        // Later keys see earlier keys resolved.
        { """{"type":"track","event":"e","userId":"u","properties":{"acct":"A9"}}""", """{"passcode":"{{ message.properties.acct || d }}","accountId":"{{ destination.Config.passcode || e }}","trackAnonymous":true}""", "headers", """{"X-CleverTap-Account-Id":"A9","Content-Type":"application/json"}""" },
        // Nested values are resolved in place, in order.
        { """{"type":"track","event":"e","userId":"u"}""", """{"n":{"a":"{{ destination.Config.region || x }}"},"region":"eu1"}""", "endpoint", "\"https://api.clevertap.com/1/upload\"" },
        // §14.13.8: a Config that is itself a template.
        { """{"type":"track","event":"e","userId":"u","traits":{"accountId":"T1","region":"sg1"}}""", "\"{{ message.traits || d }}\"", "endpoint", "\"https://sg1.api.clevertap.com/1/upload\"" },
        { """{"type":"track","event":"e","userId":"u","traits":{"accountId":"T1","region":"sg1"}}""", "\"{{ message.traits || d }}\"", "headers", """{"X-CleverTap-Account-Id":"T1","Content-Type":"application/json"}""" },
        { """{"type":"track","event":"e","userId":"u"}""", "\"{{ message.nothing || d }}\"", "endpoint", "\"https://api.clevertap.com/1/upload\"" },
        // The default is what lies between "||" and the closing braces, trimmed: line terminators inside are kept.
        { """{"type":"track","event":"e","userId":"u"}""", """{"region":"{{ message.nothing || a\nb }}"}""", "endpoint", "\"https://a\\nb.api.clevertap.com/1/upload\"" },
        { """{"type":"track","event":"e","userId":"u"}""", """{"region":"{{ message.nothing ||\n b\u2028 }}"}""", "endpoint", "\"https://b.api.clevertap.com/1/upload\"" },
        // The value found is deleted from the event: the record no longer sees it.
        { """{"type":"identify","userId":"u","traits":{"email":"e@x","k":1}}""", """{"accountId":"{{ message.traits.email || d }}"}""", "body.JSON.d.0.profileData", """{"k":1}""" },
    };

    [Theory]
    [MemberData(nameof(DynamicConfigResults))]
    public void Dynamic_config_resolves_as_the_reference_does(string message, string config, string path, string expected)
    {
        var value = Output(Entry(Item(message, WithConfig(config))));
        foreach (string step in path.Split('.')) value = int.TryParse(step, out int i) ? value[i] : value.GetProperty(step);
        string? diff = new JsonComparer().CompareValues(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(value.GetRawText()));
        Assert.True(diff is null, $"{diff}\nactual: {value.GetRawText()}");
    }

    /// <summary>message, Config → the event fails: what makes the reference throw (D1) or its own errors.</summary>
    public static TheoryData<string, string, string?> DynamicConfigFailures => new()
    {
        // §14.13.5: found through a literal dotted key, which unset-value cannot delete.
        { """{"type":"track","event":"e","userId":"u","traits.a":"v"}""", """{"accountId":"{{ message.traits.a || d }}"}""", null },
        { """{"type":"track","event":"e","userId":"u","context.traits":{"x":1}}""", """{"region":"{{ message.context.traits.x || d }}"}""", null },
        { """{"type":"identify","userId":"u","traits":{"a.b":{"c":1}}}""", """{"passcode":"{{ message.traits.a.b.c || d }}"}""", null },
        // §14.13.7: a Config containing itself, a template removing the destination or the message.
        { """{"type":"track","event":"e","userId":"u"}""", """{"accountId":"{{ destination.Config || x }}"}""", null },
        { """{"type":"track","event":"e","userId":"u"}""", """{"n":{"m":"{{ destination.Config.n || x }}"}}""", null },
        { """{"type":"track","event":"e","userId":"u"}""", """{"accountId":"{{ destination || x }}"}""", null },
        { """{"type":"track","event":"e","userId":"u"}""", """{"accountId":"{{ message || x }}"}""", null },
        // A function's caller cannot be read.
        { """{"type":"track","event":"e","userId":"u"}""", """{"region":"{{ message.toString.caller || d }}"}""", null },
        // Ordinary outcomes after resolution.
        { """{"type":"track","event":"e","userId":"u"}""", "\"{{ message.userId || d }}\"", "userId, not present cannot track anonymous user" },
        { """{"type":"track","event":"e","userId":"u"}""", """{"accountId":"{{ message.type || d }}"}""", "Message Type is not present. Aborting message." },
    };

    [Theory]
    [MemberData(nameof(DynamicConfigFailures))]
    public void Dynamic_config_failures_fail_the_event_alone(string message, string config, string? error) =>
        AssertError(Entry(Item(message, WithConfig(config))), "instrumentation", exact: error);

    [Fact]
    public void An_item_with_its_own_hasOwnProperty_key_cannot_resolve_a_template()
    {
        string item = """{"message":{"type":"track","event":"e","userId":"u"},"hasOwnProperty":1,"metadata":""" + Meta + ""","destination":{"Config":{"accountId":"{{ message.userId || d }}"}}}""";
        AssertError(Entry(item), "instrumentation");
    }

    /// <summary>
    /// At the router, an input whose Config a template made contain itself (or lose its message)
    /// fails alone: it is grouped by the Config it came with, never by the half-resolved one.
    /// </summary>
    [Theory]
    [InlineData("""{"accountId":"{{ destination.Config || x }}"}""")]
    [InlineData("""{"n":{"m":"{{ destination.Config.n || x }}"}}""")]
    [InlineData("""{"accountId":"{{ destination || x }}"}""")]
    [InlineData("""{"accountId":"{{ message.traits.a || x }}"}""")]
    public void A_router_input_whose_dynamic_config_fails_fails_alone(string config)
    {
        string Input(int job, string cfg) => """{"message":{"type":"track","event":"e","userId":"u","traits.a":1},"metadata":{"jobId":""" + job + """},"destination":{"ID":"d","Config":""" + cfg + "}}";
        string body = "{\"input\":[" + Input(1, """{"accountId":"a"}""") + "," + Input(2, config) + "," + Input(3, """{"accountId":"a"}""") + "],\"destType\":\"CLEVERTAP\"}";
        Assert.Equal("1,3|2:400", Batches(body, withStatus: true));
    }

    // ------------------------------------------------------------------ §14.13.9 router group keys

    /// <summary>
    /// Inputs as (destination.ID JSON, job id JSON or null for none), and the expected batches as
    /// job-id lists: the key parts are String()-ed and joined with ',', as the reference does.
    /// </summary>
    public static TheoryData<string, string> GroupKeys => new()
    {
        { """[["{\"a\":1}",null],["{\"b\":2}",null]]""", "1,2" },
        { """[["[\"x\"]",null],["\"x\"",null]]""", "1,2" },
        { """[["\"x,y\"",null],["\"x\"","\"y,default\""]]""", "1,2" },
        { """[["\"x\"","\"y\""],["\"x,y\"",null]]""", "1|2" },
        { """[["5",null],["\"5\"",null],["5.0",null]]""", "1,2,3" },
        { """[["null",null],["\"default\"",null],["0",null],["\"\"","null"]]""", "1,2,3,4" },
        { """[["[\"a\",[\"b\",\"c\"]]",null],["\"a,b,c\"",null]]""", "1,2" },
        { """[["[null,\"x\"]",null],["\",x\"",null]]""", "1,2" },
        { """[["true",null],["\"true\"",null],["false",null]]""", "1,2|3" },
        { """[["\"d\"","{\"j\":1}"],["\"d\"","{\"k\":2}"],["\"d\"","\"[object Object]\""]]""", "1,2,3" },
        { """[["\"a\\u0000b\"","\"c\""],["\"a\"","\"b\\u0000c\""],["\"a\\u0000b\"","\"c\""]]""", "1,3|2" },
    };

    [Theory]
    [MemberData(nameof(GroupKeys))]
    public void Router_group_keys_are_built_as_the_reference_builds_them(string inputs, string batches)
    {
        using var spec = JsonDocument.Parse(inputs);
        var items = new List<string>();
        int job = 1;
        foreach (var input in spec.RootElement.EnumerateArray())
        {
            string id = input[0].GetString()!;
            string context = input[1].ValueKind == JsonValueKind.Null ? "" : ""","context":{"sources":{"job_id":""" + input[1].GetString() + "}}";
            items.Add("""{"message":{"type":"alias","userId":"u","previousId":"p"}""" + context + ""","metadata":{"jobId":""" + job++ + """},"destination":{"ID":""" + id + ""","Config":{"accountId":"acc"}}}""");
        }
        Assert.Equal(batches, Batches("{\"input\":[" + string.Join(",", items) + "],\"destType\":\"CLEVERTAP\"}"));
    }

    /// <summary>An ID whose String() throws (an own toString) fails that input alone (D1); the others are batched as usual.</summary>
    [Fact]
    public void An_id_that_cannot_become_a_string_fails_its_input_alone()
    {
        string Input(int job, string id) => """{"message":{"type":"alias","userId":"u","previousId":"p"},"metadata":{"jobId":""" + job + """},"destination":{"ID":""" + id + ""","Config":{"accountId":"acc"}}}""";
        string body = "{\"input\":[" + Input(1, "\"d\"") + "," + Input(2, """{"toString":"x"}""") + "," + Input(3, "\"d\"") + "],\"destType\":\"CLEVERTAP\"}";
        Assert.Equal("1,3|2:400", Batches(body, withStatus: true));
    }

    /// <summary>Output entries as job-id lists joined with '|' (the order of the output).</summary>
    private static string Batches(string body, bool withStatus = false)
    {
        var output = new ByteBuffer();
        Assert.Equal(200, new RouterTransformer(CleverTapMapper.Instance).Transform(Encoding.UTF8.GetBytes(body), output));
        using var doc = JsonDocument.Parse(output.WrittenMemory);
        return string.Join("|", doc.RootElement.GetProperty("output").EnumerateArray().Select(e =>
        {
            string jobs = string.Join(",", e.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("jobId").GetInt32()));
            int status = e.GetProperty("statusCode").GetInt32();
            return withStatus && status != 200 ? jobs + ":" + status : jobs;
        }));
    }
}
