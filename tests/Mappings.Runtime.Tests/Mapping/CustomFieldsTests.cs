using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Mapping;

/// <summary>
/// Custom fields (spec §3.4, §14.4) against rudder-transformer's <c>extractCustomFields</c> run in
/// Node 20 with get-value 3.0.1 and the integrations-lib set-value wrapper, followed by the
/// reference's null removal (lodash <c>pickBy</c>): sources <c>traits</c> then <c>context.traits</c>,
/// one running key list, every key of the list checked with <c>typeof source[key] !== "undefined"</c>
/// (so a number, boolean or string source has only its own and inherited members, and a dotted key
/// is not found nested) and then read with the path lookup from the current source (so
/// <c>context.traits</c> wins and its null deletes), path writes, inherited names overwritten by
/// functions when <c>context.traits</c> is an object, string and array sources spread by index.
/// Rows: message, profile before, <c>JSON.stringify</c> of the profile after.
/// </summary>
public class CustomFieldsTests
{
    /// <summary>CLEVERTAP_DEFAULT_EXCLUSION (spec §3.4; the reserved words are always excluded).</summary>
    private static readonly KeySet Exclude = new(
        "email", "firstName", "firstname", "first_name", "lastName", "lastname", "last_name", "name", "phone", "gender", "education",
        "employed", "birthday", "married", "customerType", "anonymousId", "avatar", "userId", "id", "ts", "overrideFields");

    private static readonly KeySet ChargedExclude = new("checkout_id", "revenue", "products", "ts");

    public static TheoryData<string, string, string> Identify => new()
    {
        { "{\"traits\":{\"email\":\"e\",\"name\":\"n\",\"plan\":\"gold\",\"age\":30}}", "{\"Email\":\"e\",\"Name\":\"n\"}", "{\"Email\":\"e\",\"Name\":\"n\",\"plan\":\"gold\",\"age\":30}" },
        { "{\"traits\":{\"plan\":\"gold\"},\"context\":{\"traits\":{\"plan\":\"silver\",\"extra\":1}}}", "{}", "{\"plan\":\"silver\",\"extra\":1}" },
        { "{\"traits\":{\"plan\":\"gold\",\"keep\":1},\"context\":{\"traits\":{\"plan\":null}}}", "{}", "{\"keep\":1}" },
        { "{\"traits\":{\"Email\":\"custom\",\"Name\":\"custom\",\"identity\":\"i\"}}", "{\"Email\":\"mapped\",\"Phone\":\"p\",\"Name\":\"mapped\"}", "{\"Email\":\"custom\",\"Phone\":\"p\",\"Name\":\"custom\",\"identity\":\"i\"}" },
        { "{\"traits\":{\"a.b\":1,\"x.0\":5,\"\":\"empty\",\"a/b.c\":2,\"a.constructor\":3,\"trail.\":4,\"007\":7,\"a\\\\.b\":8}}", "{}", "{\"7\":7,\"a\":{\"b\":1},\"x\":[5],\"a/b.c\":2,\"a.constructor\":3,\"trail\":4,\"a.b\":8}" },
        { "{\"traits\":{\"toString\":\"t\",\"hasOwnProperty\":\"h\",\"valueOf\":\"v\",\"custom\":1},\"context\":{\"traits\":{\"email\":\"x\"}}}", "{}", "{\"custom\":1}" },
        { "{\"traits\":{\"toString\":\"t\",\"hasOwnProperty\":\"h\",\"isPrototypeOf\":1,\"propertyIsEnumerable\":2,\"toLocaleString\":3,\"__defineGetter__\":4,\"__lookupSetter__\":5,\"custom\":1}}", "{}", "{\"toString\":\"t\",\"hasOwnProperty\":\"h\",\"isPrototypeOf\":1,\"propertyIsEnumerable\":2,\"toLocaleString\":3,\"__defineGetter__\":4,\"__lookupSetter__\":5,\"custom\":1}" },
        { "{\"traits\":{\"toString\":\"t\",\"custom\":1},\"context\":{\"traits\":\"\"}}", "{}", "{\"toString\":\"t\",\"custom\":1}" },
        { "{\"traits\":{\"toString\":\"t\",\"custom\":1},\"context\":{\"traits\":[]}}", "{}", "{\"custom\":1}" },
        { "{\"traits\":{\"toString\":\"t\",\"custom\":1},\"context\":{\"traits\":0}}", "{}", "{\"toString\":\"t\",\"custom\":1}" },
        { "{\"traits\":\"abc\"}", "{}", "{\"0\":\"abc\",\"1\":\"abc\",\"2\":\"abc\"}" },
        { "{\"traits\":[\"x\",{\"y\":1}]}", "{}", "{\"0\":\"x\",\"1\":{\"y\":1}}" },
        { "{\"traits\":{\"first\":1},\"context\":{\"traits\":\"ab\"}}", "{}", "{\"0\":\"ab\",\"1\":\"ab\",\"first\":1}" },
        { "{\"traits\":{\"first\":1,\"length\":2,\"concat\":3},\"context\":{\"traits\":\"ab\"}}", "{}", "{\"0\":\"ab\",\"1\":\"ab\",\"first\":1,\"length\":\"ab\",\"concat\":\"ab\"}" },
        { "{\"traits\":{\"first\":1},\"context\":{\"traits\":5}}", "{}", "{\"first\":1}" },
        { "{\"traits\":{\"first\":1},\"context\":{\"traits\":true}}", "{}", "{\"first\":1}" },
        { "{\"traits\":{\"first\":1,\"length\":3},\"context\":{\"traits\":[\"p\",\"q\"]}}", "{}", "{\"0\":\"p\",\"1\":\"q\",\"first\":1,\"length\":2}" },
        { "{\"traits\":{\"a.b\":1},\"context\":{\"traits\":{\"a\":{\"b\":2,\"c\":3}}}}", "{}", "{\"a\":{\"b\":2,\"c\":3}}" },
        { "{\"traits\":{\"email.x\":5},\"context\":{\"traits\":{\"email\":{\"x\":1}}}}", "{}", "{\"email\":{\"x\":5}}" },
        { "{\"traits\":{\"a\\\\.b\":1},\"context\":{\"traits\":{\"a.b\":7}}}", "{}", "{\"a.b\":1,\"a\":{\"b\":7}}" },
        { "{\"traits\":{\"a\":{\"x\":1}},\"context\":{\"traits\":{\"a.y\":2}}}", "{}", "{\"a\":{\"x\":1,\"y\":2}}" },
        { "{\"traits\":{\"a\":{\"x\":1},\"a.x\":5},\"context\":{\"traits\":{\"a\":{\"b\":7}}}}", "{}", "{\"a\":{\"b\":7}}" },
        { "{\"traits\":{\"x.0\":1,\"x.1\":2},\"context\":{\"traits\":{\"x.1\":3}}}", "{}", "{\"x\":[1,3]}" },
        { "{\"traits\":{\"x.0.a\":1},\"context\":{\"traits\":{\"x\":[{\"b\":2}]}}}", "{}", "{\"x\":[{\"b\":2}]}" },
        { "{\"traits\":{\"nested\":{\"deep\":{\"v\":1}},\"list\":[1,2,{\"z\":null}],\"n\":null}}", "{}", "{\"nested\":{\"deep\":{\"v\":1}},\"list\":[1,2,{\"z\":null}]}" },
        { "{\"traits\":null,\"context\":{\"traits\":{\"a\":1}}}", "{\"Email\":\"e\"}", "{\"Email\":\"e\",\"a\":1}" },
        { "{\"context\":{\"traits\":{\"a\":1,\"b\":null}}}", "{}", "{\"a\":1}" },
        { "{\"traits\":{},\"context\":{\"traits\":{}}}", "{\"Name\":\"n\"}", "{\"Name\":\"n\"}" },
        { "{\"traits\":{\"2\":4,\"10\":2,\"b\":1,\"a\":3},\"context\":{\"traits\":{\"1\":5,\"c\":6}}}", "{\"Email\":\"e\"}", "{\"1\":5,\"2\":4,\"10\":2,\"Email\":\"e\",\"b\":1,\"a\":3,\"c\":6}" },
        { "{\"traits\":{\"MSG-email\":true,\"MSG-push\":false,\"msg_push\":\"x\",\"category-unsubscribe\":{\"email\":[\"Marketing\"]}}}", "{}", "{\"MSG-email\":true,\"MSG-push\":false,\"msg_push\":\"x\",\"category-unsubscribe\":{\"email\":[\"Marketing\"]}}" },
        { "{\"traits\":{\"overrideFields\":{\"a\":1},\"overrideFields.b\":2,\"ts\":1,\"ts.x\":2,\"id\":\"i\",\"userId\":\"u\",\"anonymousId\":\"a\"}}", "{}", "{\"overrideFields\":{\"b\":2},\"ts\":{\"x\":2}}" },
        { "{\"traits\":{\"constructor.x\":1,\"prototype\":2,\"x.__proto__.y\":3}}", "{}", "{\"constructor.x\":1,\"x.__proto__.y\":3}" },
        { "{\"traits\":{\"a..b\":1,\".a\":2,\"a.\":3,\"..\":4}}", "{}", "{\"a\":3,\"\":{\"a\":2,\"\":4}}" },
        { "{\"traits\":{\" 1\":\"sp\",\"1e3\":\"e\",\"x. 1\":\"s\",\"x.-1\":\"neg\"}}", "{}", "{\"1\":\"sp\",\"1000\":\"e\",\"x\":[null,\"s\"]}" },
        { "{\"traits\":{\"k\":\"traits\"},\"context\":{\"traits\":{\"k\":\"ctx\",\"j\":\"ctx-j\"}}}", "{\"k\":\"mapped\",\"j\":\"mapped-j\"}", "{\"k\":\"ctx\",\"j\":\"ctx-j\"}" },
        { "{\"traits\":{\"a.b.c\":1,\"a.b.d\":2,\"a.e\":3}}", "{}", "{\"a\":{\"b\":{\"c\":1,\"d\":2},\"e\":3}}" },
        { "{\"traits\":{\"Name\":0,\"Email\":false,\"Phone\":\"\"}}", "{\"Name\":\"n\",\"Email\":\"e\",\"Phone\":\"p\"}", "{\"Name\":0,\"Email\":false,\"Phone\":\"\"}" },
    };


    [Theory]
    [MemberData(nameof(Identify))]
    public void Copy_matches_extractCustomFields(string message, string profile, string expected)
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, message);
        int target = heap.MakeMutable(TestText.Parse(heap, profile));
        CustomFields.Copy(heap, target, [heap.Get(root, "traits"u8), heap.Get(root, "context.traits"u8)], Exclude);
        heap.RemoveNullish(target);
        Assert.Equal(expected, TestText.Describe(heap, target));
    }

    /// <summary>The Charged variant (spec §5.4): one source, <c>properties</c>.</summary>
    public static TheoryData<string, string, string> Charged => new()
    {
        { "{\"properties\":{\"checkout_id\":\"c\",\"revenue\":15,\"products\":[{\"a\":1}],\"ts\":\"t\",\"tax\":1,\"order.id\":\"o\",\"currency\":\"USD\"}}", "{\"Charged ID\":\"c\",\"Amount\":15,\"Items\":[{\"a\":1}]}", "{\"Charged ID\":\"c\",\"Amount\":15,\"Items\":[{\"a\":1}],\"tax\":1,\"order\":{\"id\":\"o\"},\"currency\":\"USD\"}" },
        { "{\"properties\":{\"Charged ID\":\"override\",\"Amount\":0,\"Items\":\"x\",\"\":\"e\"}}", "{\"Charged ID\":\"c\",\"Amount\":15}", "{\"Charged ID\":\"override\",\"Amount\":0,\"Items\":\"x\"}" },
        { "{\"properties\":\"ab\"}", "{}", "{\"0\":\"ab\",\"1\":\"ab\"}" },
    };

    [Theory]
    [MemberData(nameof(Charged))]
    public void Copy_from_properties_matches_extractCustomFields(string message, string evtData, string expected)
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, message);
        int target = heap.MakeMutable(TestText.Parse(heap, evtData));
        CustomFields.Copy(heap, target, [heap.Get(root, "properties"u8)], ChargedExclude);
        heap.RemoveNullish(target);
        Assert.Equal(expected, TestText.Describe(heap, target));
    }

    [Fact]
    public void Copy_allocates_nothing_once_warm()
    {
        var messages = Identify.Select(r => TestText.ToWtf8((string)r[0])).ToArray();
        var heap = new JsHeap();
        var output = new ByteBuffer();
        Allocations.AssertNone(() =>
        {
            foreach (var m in messages)
            {
                heap.Reset();
                output.Clear();
                int root = heap.Parse(m);
                int target = heap.NewObject();
                CustomFields.Copy(heap, target, [heap.Get(root, "traits"u8), heap.Get(root, "context.traits"u8)], Exclude);
                heap.RemoveNullish(target);
                heap.Stringify(target, output);
            }
        }, warmup: 3, iterations: 20);
    }
}
