using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Mappings.Runtime.Json;

namespace Mappings.Service.DestinationSelection;

/// <summary>
/// The top-level <c>destType</c> of a router or batch body, found without parsing the body into a
/// heap (the transformer does that once, later): rudder-server writes <c>destType</c> after
/// <c>input</c>, so the tail of the body is read first (<c>…,"destType":"CLEVERTAP"}</c>); other
/// layouts take one forward pass of a JSON reader.
/// </summary>
internal readonly struct DestTypeScan
{
    private DestTypeScan(bool isObject, string? destType, bool isString, bool inputIsNonEmptyArray, bool inputKnown)
    {
        IsObject = isObject;
        DestType = destType;
        IsString = isString;
        InputIsNonEmptyArray = inputIsNonEmptyArray;
        InputKnown = inputKnown;
    }

    /// <summary>The body is a JSON object (as far as the scan could tell).</summary>
    public bool IsObject { get; }

    /// <summary>The destType as text: a string's value, else JavaScript's <c>String(value)</c> of it ("undefined" when absent).</summary>
    public string? DestType { get; }

    public bool IsString { get; }

    /// <summary>Whether <c>input</c> is a non-empty array (only when <see cref="InputKnown"/>).</summary>
    public bool InputIsNonEmptyArray { get; }

    public bool InputKnown { get; }

    /// <summary>Tail first, then a forward pass.</summary>
    public static DestTypeScan Find(ReadOnlySpan<byte> body) =>
        TryTail(body, out string? destType) ? new DestTypeScan(true, destType, true, false, false) : Forward(body);

    /// <summary>A forward pass over the top-level members (also tells whether <c>input</c> is a non-empty array).</summary>
    public static DestTypeScan Forward(ReadOnlySpan<byte> body)
    {
        return ForwardValid(Wtf8.AsValidUtf8(body, new ByteBuffer(16)));
    }

    private static DestTypeScan ForwardValid(ReadOnlySpan<byte> body)
    {
        try
        {
            // The scan only skips values (no stack): items nested too deep are the transform's to refuse (D7).
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            string destType = "undefined";
            bool isString = false;
            bool inputNonEmpty = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isDestType = reader.ValueTextEquals("destType"u8);
                bool isInput = reader.ValueTextEquals("input"u8);
                reader.Read();
                if (isDestType)
                {
                    (destType, isString) = ValueText(ref reader, body);
                }
                else if (isInput)
                {
                    inputNonEmpty = false;
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        long depth = reader.CurrentDepth;
                        reader.Read();
                        inputNonEmpty = reader.TokenType != JsonTokenType.EndArray;
                        while (!(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
                        {
                            reader.Skip();
                            reader.Read();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            return new DestTypeScan(true, destType, isString, inputNonEmpty, true);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static (string Text, bool IsString) ValueText(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return (reader.GetString() ?? "", true);
            case JsonTokenType.StartObject:
                reader.Skip();
                return ("[object Object]", false);
            case JsonTokenType.StartArray:
            {
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                return (Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]), false);
            }
            default:
                return (Encoding.UTF8.GetString(reader.ValueSpan), false);
        }
    }

    /// <summary>
    /// <c>…,"destType":"X"}</c> at the very end. Sound for any valid JSON text: the last string
    /// before the closing brace of the root is the value of the root's last member, and its key is
    /// the string before the colon (quotes are told from escaped ones by the backslashes before them).
    /// </summary>
    private static bool TryTail(ReadOnlySpan<byte> body, out string? destType)
    {
        destType = null;
        int i = SkipSpaceBack(body, body.Length - 1);
        if (i < 0 || body[i] != (byte)'}') return false;
        i = SkipSpaceBack(body, i - 1);
        if (i < 0 || body[i] != (byte)'"') return false;
        int valueEnd = i;
        int valueStart = OpeningQuote(body, valueEnd);
        if (valueStart < 0) return false;
        i = SkipSpaceBack(body, valueStart - 1);
        if (i < 0 || body[i] != (byte)':') return false;
        i = SkipSpaceBack(body, i - 1);
        if (i < 0 || body[i] != (byte)'"') return false;
        int keyEnd = i;
        int keyStart = OpeningQuote(body, keyEnd);
        if (keyStart < 0) return false;
        i = SkipSpaceBack(body, keyStart - 1);
        if (i < 0 || (body[i] != (byte)',' && body[i] != (byte)'{')) return false;

        var key = body[keyStart..(keyEnd + 1)];
        var value = body[valueStart..(valueEnd + 1)];
        if (!Utf8.IsValid(key) || !Utf8.IsValid(value)) return false;
        try
        {
            var keyReader = new Utf8JsonReader(key);
            if (!keyReader.Read() || !keyReader.ValueTextEquals("destType"u8)) return false;
            var valueReader = new Utf8JsonReader(value);
            if (!valueReader.Read()) return false;
            destType = valueReader.GetString();
            return destType is not null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static int SkipSpaceBack(ReadOnlySpan<byte> body, int i)
    {
        while (i >= 0 && body[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') i--;
        return i;
    }

    /// <summary>The index of the quote opening the string that ends at <paramref name="closing"/>, or -1.</summary>
    private static int OpeningQuote(ReadOnlySpan<byte> body, int closing)
    {
        for (int i = closing - 1; i >= 0; i--)
        {
            if (body[i] != (byte)'"') continue;
            int backslashes = 0;
            for (int j = i - 1; j >= 0 && body[j] == (byte)'\\'; j--) backslashes++;
            if (backslashes % 2 == 0) return i;
        }
        return -1;
    }
}
