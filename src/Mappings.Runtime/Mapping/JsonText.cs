using System.Text.Json;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary><c>JSON.parse</c> of a string value found in the input (spec §5.4 products).</summary>
public static class JsonText
{
    /// <summary>
    /// <c>JSON.parse(JSON.stringify(value))</c> for an object or array. Input whose text is already
    /// what JSON.stringify prints comes back equal, so it is returned as it is.
    /// </summary>
    public static int RoundTrip(JsHeap heap, int value)
    {
        if (heap.IsCanonicalInput(value)) return value;
        var json = heap.RentBuffer();
        heap.Stringify(value, json);
        int protoKeys = heap.ProtoKeyCount;
        int result = heap.Parse(json.WrittenSpan);
        heap.ForgetProtoKeysAfter(protoKeys);
        heap.ReturnBuffer();
        return result;
    }

    /// <summary>A string is parsed as JSON (a SyntaxError in JavaScript: D1); other values are returned unchanged.</summary>
    public static int ParseIfString(JsHeap heap, int value, string what)
    {
        if (heap.TypeOf(value) != JsType.String) return value;
        int protoKeys = heap.ProtoKeyCount;
        try
        {
            // The string's own bytes; lone surrogates (WTF-8) cannot be JSON syntax, only content.
            var text = heap.StringBytes(value);
            return heap.Parse(text);
        }
        catch (JsonException e)
        {
            throw new JsTypeError($"{what} is a string that is not valid JSON ({JsonErrorText.Position(e)})");
        }
        finally
        {
            // A "__proto__" inside a string is content, not a key of the request (D6 does not apply).
            heap.ForgetProtoKeysAfter(protoKeys);
        }
    }
}
