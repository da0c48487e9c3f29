using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// Path writes with the semantics of set-value 4.1.0 behind the reference's wrapper (spec §6.3,
/// §14.5): <c>"a.b": 1</c> writes <c>{a:{b:1}}</c>; a backslash escapes the next character;
/// a key containing '/' is not split; the empty key writes nothing; a trailing empty segment is
/// dropped; a segment that is a non-blank integer for <c>Number()</c> (<c>"007"</c>, <c>"1e3"</c>,
/// <c>" 1"</c>) is normalised to that number and, below an index, makes the container an array;
/// a segment <c>__proto__</c>, <c>constructor</c> or <c>prototype</c> makes the whole key literal.
/// </summary>
public static class PathWriter
{
    private const int MaxSegments = JsHeap.MaxDepth;

    private struct Segment
    {
        public int Start;   // in the scratch buffer
        public int Length;
        public bool Numeric;
        public double Number;
    }

    /// <summary>
    /// True when a key is written as one property: it has neither '.' nor '\\' (nothing to split),
    /// or it has a '/' (set-value then takes the key literally).
    /// </summary>
    internal static bool IsLiteralKey(ReadOnlySpan<byte> text)
    {
        if (text.Length > 32) return text.IndexOfAny((byte)'.', (byte)'\\') < 0 || text.IndexOf((byte)'/') >= 0;
        bool split = false;
        foreach (byte b in text)
        {
            if (b == (byte)'/') return true;
            if (b == (byte)'.' || b == (byte)'\\') split = true;
        }
        return !split;
    }

    /// <summary><c>set(target, key, value)</c> on a mutable object.</summary>
    public static void Set(JsHeap heap, int target, in JsKey key, int value)
    {
        var text = heap.KeyBytes(in key);
        if (text.Length == 0) return;
        if (IsLiteralKey(text))
        {
            SetSingle(heap, target, in key, value);
            return;
        }

        var scratch = heap.RentBuffer();
        try
        {
            int maxSegments = text.Count((byte)'.') + 1;
            Span<Segment> segments = maxSegments <= 32 ? stackalloc Segment[32] : new Segment[maxSegments];
            int count = Split(text, scratch, segments);
            if (count == 0) return;
            if (HasReservedSegment(scratch.WrittenSpan, segments[..count]))
            {
                // Written literally under the segments joined with '.', numeric ones normalised ("007.constructor" → "7.constructor").
                var literal = heap.RentBuffer();
                for (int i = 0; i < count; i++)
                {
                    if (i > 0) literal.Append((byte)'.');
                    if (segments[i].Numeric) AppendNumber(literal, segments[i].Number);
                    else literal.Append(scratch.WrittenSpan.Slice(segments[i].Start, segments[i].Length));
                }
                heap.Set(target, heap.NewKey(literal.WrittenSpan), value);
                heap.ReturnBuffer();
                return;
            }
            // D7: the write nests the value as deep as the key has parts.
            for (int k = 1; k < count; k++)
            {
                // An index makes its array at least that long (D8 counts what sparse arrays may print).
                if (segments[k].Numeric) heap.NoteArraySlots(segments[k].Number + 1);
            }
            if (count > MaxSegments || (count > 16 && heap.DepthExceeds(value, MaxSegments - count)))
            {
                throw new JsTypeError("a key with " + count + " dot-separated parts would nest the output more than " + MaxSegments + " levels deep");
            }

            // The container being walked: an object or array of the target, or a built-in
            // function reached through an inherited name (writes onto it go nowhere, except that
            // its read-only properties throw), or a container created on such a function.
            int container = target;
            for (int i = 0; i < count - 1; i++)
            {
                var seg = segments[i];
                var segKey = SegmentKey(heap, scratch, in seg);
                bool nextNumeric = segments[i + 1].Numeric;
                var segBytes = heap.KeyBytes(in segKey);
                if (heap.IsFunction(container))
                {
                    // obj[key] on the function (caller/arguments throw), replaced when it is not a
                    // container (or, before an index, not an array): name and length are read-only.
                    heap.TryGetProperty(container, segBytes, out int property);
                    bool replace = nextNumeric ? heap.TypeOf(property) != JsType.Array : !(heap.IsContainer(property) || heap.IsFunction(property));
                    if (!replace)
                    {
                        container = property;
                        continue;
                    }
                    if (JsFunctions.IsReadOnlyOwn(segBytes)) throw ReadOnlyProperty(heap, container, segBytes);
                    container = nextNumeric ? heap.NewArray() : heap.NewObject();
                    continue;
                }
                if (heap.TypeOf(container) == JsType.Array && segBytes.SequenceEqual("length"u8))
                {
                    // The length is a number, never a container: set-value assigns a new container
                    // to it. An array converts to 0 (the array is emptied; the walk goes on in the
                    // new array, which nothing holds); an object to NaN (RangeError).
                    if (!nextNumeric) throw new JsTypeError("Invalid array length: a key writes an object into an array's length");
                    heap.SetArrayLength(container, 0, "a key sets an array's length");
                    container = heap.NewArray();
                    continue;
                }
                int existing = heap.GetOwn(container, segBytes);
                if (existing == JsHeap.Undefined && heap.TryGetProperty(container, segBytes, out int inherited)) existing = inherited;
                int child;
                if (nextNumeric ? heap.TypeOf(existing) == JsType.Array : heap.IsContainer(existing) || heap.IsFunction(existing))
                {
                    // Values are shared by reference: writing into an existing container changes it everywhere.
                    if (heap.IsContainer(existing)) heap.MakeMutableInPlace(existing);
                    child = existing;
                }
                else
                {
                    child = nextNumeric ? heap.NewArray() : heap.NewObject();
                    heap.Set(container, in segKey, child);
                }
                container = child;
            }
            var last = segments[count - 1];
            var lastKey = SegmentKey(heap, scratch, in last);
            var lastBytes = heap.KeyBytes(in lastKey);
            if (heap.IsFunction(container))
            {
                if (JsFunctions.IsRestricted(lastBytes)) throw new JsTypeError(JsFunctions.RestrictedPropertyMessage);
                if (JsFunctions.IsReadOnlyOwn(lastBytes)) throw ReadOnlyProperty(heap, container, lastBytes);
                return;
            }
            if (heap.TypeOf(container) == JsType.Array && lastBytes.SequenceEqual("length"u8))
            {
                double length = JsConvert.ToNumber(heap, value, "an array length");
                heap.NoteArraySlots(length);
                heap.SetArrayLength(container, length, "a key sets an array's length");
                return;
            }
            // On an array only index keys are elements; other keys are properties JSON never shows.
            heap.Set(container, in lastKey, value);
        }
        finally
        {
            heap.ReturnBuffer();
        }
    }

    /// <summary>The TypeError of an assignment to a function's read-only <c>name</c> or <c>length</c>.</summary>
    private static JsTypeError ReadOnlyProperty(JsHeap heap, int function, ReadOnlySpan<byte> key) =>
        new($"Cannot assign to read only property '{System.Text.Encoding.ASCII.GetString(key)}' of function '{JsFunctions.Source(heap.FunctionId(function))}'");

    private static void SetSingle(JsHeap heap, int target, in JsKey key, int value)
    {
        // A lone numeric segment is normalised too ("007" is written at "7").
        var text = heap.KeyBytes(in key);
        if (TryNumericSegment(text, out double number) && text.IndexOf((byte)'/') < 0 && !IsCanonicalIndex(text))
        {
            Span<byte> digits = stackalloc byte[JsNumber.MaxLength];
            int n = JsNumber.FormatUtf8(number, digits);
            heap.Set(target, heap.NewKey(digits[..n]), value);
            return;
        }
        heap.Set(target, in key, value);
    }

    private static bool IsCanonicalIndex(ReadOnlySpan<byte> text) => JsKeys.TryGetArrayIndex(text, out _);

    /// <summary>Splits on unescaped dots into the scratch buffer (escapes removed). Returns the segment count.</summary>
    private static int Split(ReadOnlySpan<byte> text, ByteBuffer scratch, Span<Segment> segments)
    {
        int count = 0;
        int start = scratch.Length;
        int i = 0;
        while (true)
        {
            if (i >= text.Length || text[i] == '.')
            {
                segments[count++] = new Segment { Start = start, Length = scratch.Length - start };
                start = scratch.Length;
                if (i >= text.Length) break;
                i++;
                continue;
            }
            if (text[i] == '\\')
            {
                // A backslash escapes the next character; at the very end set-value appends the
                // missing character as "undefined" ("a\\" is written at "aundefined").
                if (i + 1 < text.Length) scratch.Append(text[i + 1]);
                else scratch.Append("undefined"u8);
                i += 2;
                continue;
            }
            scratch.Append(text[i]);
            i++;
        }
        // set-value drops one trailing empty segment ("a." is "a").
        if (count > 1 && segments[count - 1].Length == 0) count--;
        else if (count == 1 && segments[0].Length == 0) return 0;
        for (int k = 0; k < count; k++)
        {
            ref Segment s = ref segments[k];
            s.Numeric = TryNumericSegment(scratch.WrittenSpan.Slice(s.Start, s.Length), out s.Number);
        }
        return count;
    }

    private static ReadOnlySpan<byte> Proto => "__proto__"u8;
    private static ReadOnlySpan<byte> Constructor => "constructor"u8;
    private static ReadOnlySpan<byte> Prototype => "prototype"u8;

    private static bool HasReservedSegment(ReadOnlySpan<byte> scratch, ReadOnlySpan<Segment> segments)
    {
        foreach (var s in segments)
        {
            var text = scratch.Slice(s.Start, s.Length);
            if (text.SequenceEqual(Proto) || text.SequenceEqual(Constructor) || text.SequenceEqual(Prototype)) return true;
        }
        return false;
    }

    /// <summary>A non-blank segment whose <c>Number()</c> is an integer.</summary>
    private static bool TryNumericSegment(ReadOnlySpan<byte> text, out double number)
    {
        number = 0;
        if (text.Length == 0) return false;
        // Number() is finite only for text starting (after white space) with a digit, a sign or a
        // dot: most keys start with a letter and are rejected here without parsing.
        byte first = text[0];
        if (first is not ((>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.') && first < 0x80 && !IsAsciiSpace(first)) return false;
        double d = JsConvert.StringToNumber(text);
        if (!double.IsFinite(d) || Math.Floor(d) != d) return false;
        // "Non-blank": Number("  ") is 0 but is not an index.
        if (JsConvert.Trim(text).Length == 0) return false;
        number = d;
        return true;
    }

    private static void AppendNumber(ByteBuffer output, double number)
    {
        int n = JsNumber.FormatUtf8(number == 0 ? 0 : number, output.GetSpan(JsNumber.MaxLength));
        output.Advance(n);
    }

    private static bool IsAsciiSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static JsKey SegmentKey(JsHeap heap, ByteBuffer scratch, in Segment s)
    {
        if (s.Numeric)
        {
            Span<byte> digits = stackalloc byte[JsNumber.MaxLength];
            int n = JsNumber.FormatUtf8(s.Number == 0 ? 0 : s.Number, digits);
            return heap.NewKey(digits[..n]);
        }
        return heap.NewKey(scratch.WrittenSpan.Slice(s.Start, s.Length));
    }
}
