using System.Text.Json;

namespace Mappings.Runtime.Json;

public sealed partial class JsHeap
{
    private readonly List<ByteBuffer> _buffers = [];
    private int _buffersInUse;

    /// <summary>A cleared scratch buffer owned by the heap; give it back with <see cref="ReturnBuffer"/> (LIFO).</summary>
    public ByteBuffer RentBuffer()
    {
        if (_buffersInUse == _buffers.Count) _buffers.Add(new ByteBuffer());
        var b = _buffers[_buffersInUse++];
        b.Clear();
        b.ClearLimit();
        return b;
    }

    /// <summary>
    /// A scratch buffer bounded by <see cref="EventOutputLimit"/>, for what can grow beyond the
    /// input's size: <c>JSON.stringify</c> of a value the mapping built (a sparse array asking
    /// for millions of slots, a string source copied once per character). Escaping input text
    /// needs no bound: it is at most a few times the text.
    /// </summary>
    private ByteBuffer RentOutputBuffer()
    {
        var b = RentBuffer();
        b.SetLimit(EventOutputLimit, OutputLimitKind.Event);
        return b;
    }

    /// <summary>
    /// The most bytes one event's output may take (D8), for <c>JSON.stringify</c> of the values a
    /// mapping built. Unlimited by default.
    /// </summary>
    public long EventOutputLimit { get; set; } = long.MaxValue;

    /// <summary>The longest property name or string value <see cref="Utf8JsonWriter"/> takes (larger ones it refuses with an ArgumentException).</summary>
    /// <summary>
    /// The longest property name or escaped string value the JSON writer takes (166,666,666 bytes,
    /// <see cref="Utf8JsonWriter"/>'s own maximum); tests lower it to reach that case with small inputs.
    /// </summary>
    internal int MaxWriterToken { get; set; } = 166_666_666;

    /// <summary>A name or string value too long for the writer is an output over the event's limit (D8), not a crash.</summary>
    private void CheckToken(int length)
    {
        if (length > MaxWriterToken) throw new OutputLimitException(Math.Min(EventOutputLimit, MaxWriterToken), OutputLimitKind.Event);
    }

    /// <summary>Gives back the buffer rented last.</summary>
    public void ReturnBuffer() => _buffersInUse--;

    /// <summary>Gives back every rented buffer (after an exception left some rented).</summary>
    public void ReturnAllBuffers() => _buffersInUse = 0;

    /// <summary>Scratch buffers above this size are given back to the runtime at a reset (an odd large event must not pin its memory).</summary>
    private const int KeptBufferBytes = 4 * 1024 * 1024;

    private void TrimBuffers()
    {
        foreach (var buffer in _buffers)
        {
            if (buffer.Capacity > KeptBufferBytes) buffer.ClearAndTrim(KeptBufferBytes);
        }
    }

    // ---------------------------------------------------------------- Utf8JsonWriter output

    /// <summary>
    /// Writes a value as <c>JSON.stringify</c> would (the writer must use <see cref="PreEscapedEncoder"/>).
    /// Undefined and functions, which JSON.stringify omits, are written as null here: callers
    /// writing object members use <see cref="WriteMember(Utf8JsonWriter, JsName, int)"/>, which omits them.
    /// </summary>
    public void WriteValue(Utf8JsonWriter writer, int value)
    {
        if (value <= Null || IsFunction(value))
        {
            writer.WriteNullValue();
            return;
        }
        ref Node n = ref _nodes[value];
        switch (n.Type)
        {
            case JsType.Boolean:
                writer.WriteBooleanValue(n.Start != 0);
                return;
            case JsType.Number:
                WriteNumber(writer, value);
                return;
            case JsType.String:
                WriteString(writer, value);
                return;
        }
        if ((n.Flags & NodeFlags.Canonical) != 0)
        {
            writer.WriteRawValue(_text.AsSpan(n.RawStart, n.RawLength), skipInputValidation: true);
            return;
        }
        if (n.Type == JsType.Array)
        {
            writer.WriteStartArray();
            if ((n.Flags & NodeFlags.Mutable) == 0)
            {
                int length = n.Length;
                for (int i = 0; i < length; i++) WriteValue(writer, _elements[n.Start + i]);
            }
            else
            {
                // A built array: its elements in index order, holes as null (a sparse array is
                // written in one pass over its members, however long it is).
                var elements = Keys(value);
                long next = 0;
                for (int i = 0; i < elements.Count; i++)
                {
                    ref Member m = ref _members[KeyMember(in elements, i)];
                    for (; next < m.Index; next++) writer.WriteNullValue();
                    WriteValue(writer, m.Value);
                    next = m.Index + 1L;
                }
                EndKeys(in elements);
                for (long length = ArrayLength(value); next < length; next++) writer.WriteNullValue();
            }
            writer.WriteEndArray();
            return;
        }
        writer.WriteStartObject();
        if ((n.Flags & (NodeFlags.Mutable | NodeFlags.IndexKeys)) == NodeFlags.Mutable)
        {
            // A built object without index keys: its members in insertion order.
            for (int m = n.Start; m >= 0; m = _members[m].Next)
            {
                int v = _members[m].Value;
                if (v == Undefined || IsFunction(v)) continue;
                WriteKey(writer, m);
                WriteValue(writer, v);
            }
            writer.WriteEndObject();
            return;
        }
        var keys = Keys(value);
        for (int i = 0; i < keys.Count; i++)
        {
            int m = KeyMember(in keys, i);
            int v = _members[m].Value;
            if (v == Undefined || IsFunction(v)) continue;
            WriteKey(writer, m);
            WriteValue(writer, v);
        }
        EndKeys(in keys);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"name": value</c>, or nothing when the value is undefined or a function.</summary>
    public void WriteMember(Utf8JsonWriter writer, JsName name, int value)
    {
        if (value == Undefined || IsFunction(value)) return;
        writer.WritePropertyName(name.Encoded);
        WriteValue(writer, value);
    }

    private void WriteKey(Utf8JsonWriter writer, int member)
    {
        ref Member m = ref _members[member];
        if ((m.Flags & MemberFlags.StaticKey) != 0)
        {
            writer.WritePropertyName(JsName.FromId(m.KeyStart).Encoded);
        }
        else if ((m.Flags & MemberFlags.KeyNeedsEscape) == 0)
        {
            CheckToken(m.KeyLength);
            writer.WritePropertyName(_text.AsSpan(m.KeyStart, m.KeyLength));
        }
        else
        {
            var buffer = RentBuffer();
            AppendEscaped(buffer, _text.AsSpan(m.KeyStart, m.KeyLength));
            CheckToken(buffer.Length);
            writer.WritePropertyName(buffer.WrittenSpan);
            ReturnBuffer();
        }
    }

    private void WriteNumber(Utf8JsonWriter writer, int value)
    {
        ref Node n = ref _nodes[value];
        if ((n.Flags & NodeFlags.Canonical) != 0)
        {
            writer.WriteRawValue(_text.AsSpan(n.Start, n.Length), skipInputValidation: true);
            return;
        }
        double d = NumberOf(value);
        if (!double.IsFinite(d))
        {
            writer.WriteNullValue();
            return;
        }
        Span<byte> digits = stackalloc byte[Js.JsNumber.MaxLength];
        int len = Js.JsNumber.FormatUtf8(d, digits);
        writer.WriteRawValue(digits[..len], skipInputValidation: true);
    }

    private void WriteString(Utf8JsonWriter writer, int value)
    {
        ref Node n = ref _nodes[value];
        if ((n.Flags & NodeFlags.Static) != 0)
        {
            writer.WriteStringValue(JsName.FromId(n.Start).Encoded);
            return;
        }
        if ((n.Flags & NodeFlags.Stringified) != 0)
        {
            var json = RentOutputBuffer();
            Stringify(n.Start, json);
            var escaped = RentOutputBuffer();
            AppendEscaped(escaped, json.WrittenSpan);
            CheckToken(escaped.Length);
            writer.WriteStringValue(escaped.WrittenSpan);
            ReturnBuffer();
            ReturnBuffer();
            return;
        }
        if ((n.Flags & NodeFlags.Quoted) != 0)
        {
            // The input token itself, quotes included: what JSON.stringify prints for it.
            writer.WriteRawValue(_text.AsSpan(n.Start - 1, n.Length + 2), skipInputValidation: true);
            return;
        }
        var text = _text.AsSpan(n.Start, n.Length);
        if ((n.Flags & NodeFlags.NeedsEscape) == 0)
        {
            CheckToken(text.Length);
            writer.WriteStringValue(text);
            return;
        }
        var buffer = RentBuffer();
        AppendEscaped(buffer, text);
        CheckToken(buffer.Length);
        writer.WriteStringValue(buffer.WrittenSpan);
        ReturnBuffer();
    }

    private static void AppendEscaped(ByteBuffer buffer, ReadOnlySpan<byte> wtf8)
    {
        // Long text in pieces (cut before a lead byte), so that the room asked for follows what is
        // written and a limited buffer refuses only output that is really too large.
        const int Piece = 64 * 1024;
        while (wtf8.Length > Piece)
        {
            int cut = Piece;
            while (cut > 0 && (wtf8[cut] & 0xC0) == 0x80) cut--;
            buffer.Advance(Wtf8.Escape(wtf8[..cut], buffer.GetSpan(cut * Wtf8.MaxEscapeExpansion)));
            wtf8 = wtf8[cut..];
        }
        int n = Wtf8.Escape(wtf8, buffer.GetSpan(wtf8.Length * Wtf8.MaxEscapeExpansion));
        buffer.Advance(n);
    }

    // ---------------------------------------------------------------- JSON.stringify

    /// <summary>
    /// Appends <c>JSON.stringify(value)</c> to the buffer (spec §6.6): compact, keys in JavaScript
    /// order, numbers as ECMAScript prints them (NaN/Infinity → null), strings escaped minimally,
    /// undefined/function members omitted and array elements written as null. Returns false (and
    /// appends nothing) when the value itself is undefined or a function.
    /// </summary>
    public bool Stringify(int value, ByteBuffer output)
    {
        if (value == Undefined || IsFunction(value)) return false;
        AppendJson(value, output);
        return true;
    }

    private void AppendJson(int value, ByteBuffer output)
    {
        if (value <= Null || IsFunction(value))
        {
            output.Append("null"u8);
            return;
        }
        ref Node n = ref _nodes[value];
        switch (n.Type)
        {
            case JsType.Boolean:
                output.Append(n.Start != 0 ? "true"u8 : "false"u8);
                return;
            case JsType.Number:
            {
                if ((n.Flags & NodeFlags.Canonical) != 0)
                {
                    output.Append(_text.AsSpan(n.Start, n.Length));
                    return;
                }
                double d = NumberOf(value);
                if (!double.IsFinite(d))
                {
                    output.Append("null"u8);
                    return;
                }
                int len = Js.JsNumber.FormatUtf8(d, output.GetSpan(Js.JsNumber.MaxLength));
                output.Advance(len);
                return;
            }
            case JsType.String:
            {
                output.Append((byte)'"');
                if ((n.Flags & NodeFlags.Stringified) != 0)
                {
                    var inner = RentOutputBuffer();
                    AppendJson(n.Start, inner);
                    AppendEscaped(output, inner.WrittenSpan);
                    ReturnBuffer();
                }
                else
                {
                    AppendEscaped(output, StringBytes(value));
                }
                output.Append((byte)'"');
                return;
            }
        }
        if ((n.Flags & NodeFlags.Canonical) != 0)
        {
            output.Append(_text.AsSpan(n.RawStart, n.RawLength));
            return;
        }
        if (n.Type == JsType.Array)
        {
            output.Append((byte)'[');
            if ((n.Flags & NodeFlags.Mutable) == 0)
            {
                for (int i = 0; i < n.Length; i++)
                {
                    if (i > 0) output.Append((byte)',');
                    AppendJson(_elements[n.Start + i], output);
                }
            }
            else
            {
                // A built array: elements in index order, holes as null, in one pass (see WriteValue).
                var elements = Keys(value);
                long next = 0;
                for (int i = 0; i < elements.Count; i++)
                {
                    ref Member m = ref _members[KeyMember(in elements, i)];
                    for (; next < m.Index; next++) output.Append(next == 0 ? "null"u8 : ",null"u8);
                    if (next > 0) output.Append((byte)',');
                    AppendJson(m.Value, output);
                    next = m.Index + 1L;
                }
                EndKeys(in elements);
                for (long length = ArrayLength(value); next < length; next++) output.Append(next == 0 ? "null"u8 : ",null"u8);
            }
            output.Append((byte)']');
            return;
        }
        output.Append((byte)'{');
        var keys = Keys(value);
        bool first = true;
        for (int i = 0; i < keys.Count; i++)
        {
            int m = KeyMember(in keys, i);
            int v = _members[m].Value;
            if (v == Undefined || IsFunction(v)) continue;
            if (!first) output.Append((byte)',');
            first = false;
            output.Append((byte)'"');
            AppendEscaped(output, KeyBytes(in _members[m]));
            output.Append((byte)'"');
            output.Append((byte)':');
            AppendJson(v, output);
        }
        EndKeys(in keys);
        output.Append((byte)'}');
    }
}
