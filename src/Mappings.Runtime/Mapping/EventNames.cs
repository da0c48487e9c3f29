using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// Event-name matching of event rules (spec §5.1 step 2): the value must be truthy, and
/// <c>String(value).toLowerCase()</c> must equal the rule's name lower-cased. No trimming.
/// </summary>
public static class EventNames
{
    public static bool Matches(JsHeap heap, int value, ReadOnlySpan<byte> asciiLowerName, string what)
    {
        if (!heap.IsTruthy(value)) return false;
        if (heap.TypeOf(value) == JsType.String) return JsConvert.LowerCaseEquals(heap.StringBytes(value), asciiLowerName);
        var text = heap.RentBuffer();
        JsConvert.AppendString(heap, value, text, what);
        bool result = JsConvert.LowerCaseEquals(text.WrittenSpan, asciiLowerName);
        heap.ReturnBuffer();
        return result;
    }
}
