using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// overrideFields (spec §3.6, §14.13.3) through the library: the reference reads
/// <c>message.traits?.overrideFields</c> if truthy, else <c>message.context?.traits?.overrideFields</c>,
/// by plain property access, so a literal top-level key <c>"traits.overrideFields"</c> or
/// <c>"context.traits"</c> is never read; the chosen object's own keys are assigned onto the
/// profile as they are (after stringification, before null removal).
/// </summary>
public sealed class OverrideFieldsTests
{
    /// <summary>message members after <c>"type": "identify", "userId": "u"</c> → the profileData sent.</summary>
    public static TheoryData<string, string> Messages => new()
    {
        { "\"traits\": { \"overrideFields\": { \"plan\": \"gold\", \"tags\": [1] } }", "{\"plan\":\"gold\",\"tags\":[1]}" },
        { "\"context\": { \"traits\": { \"overrideFields\": { \"plan\": \"silver\" } } }", "{\"plan\":\"silver\"}" },
        // traits' overrideFields wins and is used alone.
        { "\"traits\": { \"overrideFields\": { \"a\": 1 } }, \"context\": { \"traits\": { \"overrideFields\": { \"b\": 2 } } }", "{\"a\":1}" },
        // A falsy traits.overrideFields falls back to context's.
        { "\"traits\": { \"overrideFields\": 0 }, \"context\": { \"traits\": { \"overrideFields\": { \"b\": 2 } } }", "{\"b\":2}" },
        // Literal dotted keys at the top of the message are never read (get-value would find them).
        { "\"traits.overrideFields\": { \"plan\": \"gold\" }", "{}" },
        { "\"context.traits\": { \"overrideFields\": { \"plan\": \"gold\" } }", "{}" },
        { "\"context.traits.overrideFields\": { \"plan\": \"gold\" }", "{}" },
        { "\"traits\": { \"overrideFields\": null }, \"traits.overrideFields\": { \"plan\": \"gold\" }", "{}" },
        { "\"traits.overrideFields\": { \"plan\": \"gold\" }, \"context\": { \"traits\": { \"overrideFields\": { \"b\": 2 } } }", "{\"b\":2}" },
        // A dotted key inside the object is assigned as it is, not expanded.
        { "\"traits\": { \"overrideFields\": { \"a.b\": 1 } }", "{\"a.b\":1}" },
        // Through non-objects: nothing to read and no error (the string's keys are its custom fields, §3.4).
        { "\"traits\": \"abc\", \"context\": 5", "{\"0\":\"abc\",\"1\":\"abc\",\"2\":\"abc\"}" },
        // A string override spreads its characters.
        { "\"traits\": { \"overrideFields\": \"ab\" }", "{\"0\":\"a\",\"1\":\"b\"}" },
        { "\"traits\": null, \"context\": { \"traits\": null }", "{}" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void OverrideFields_are_read_as_properties(string members, string profileData)
    {
        string item = "{\"message\": {\"type\": \"identify\", \"userId\": \"u\", " + members + "}, \"metadata\": {\"jobId\": 1}, \"destination\": {\"Config\": {}}}";
        var output = new ByteBuffer();

        Assert.Equal(ItemOutcome.Succeeded, new ProcessorTransformer(CleverTapMapper.Instance).TransformItem(Encoding.UTF8.GetBytes(item), output));

        using JsonDocument entries = JsonDocument.Parse(output.WrittenMemory);
        JsonElement record = entries.RootElement[0].GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0];
        Assert.Equal(profileData, record.GetProperty("profileData").GetRawText());
    }
}
