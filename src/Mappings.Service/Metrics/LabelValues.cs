using System.Collections.Concurrent;
using System.Text;

namespace Mappings.Service.Metrics;

/// <summary>
/// Label values taken from requests, capped so that no request can make series without end: the
/// first <c>limit</c> distinct values get series of their own, every later one shares
/// <see cref="Other"/>, and so does a value longer than <see cref="MaxLength"/> characters or one
/// that is not valid UTF-8. A value already seen costs a lookup, no allocation. Thread-safe.
/// </summary>
internal sealed class LabelValues(int limit)
{
    /// <summary>The value that stands for every value past the cap (and any value that is not a string).</summary>
    public const string Other = "other";

    /// <summary>Longest value kept, in characters.</summary>
    public const int MaxLength = 128;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly CappedMap<string> _values = new(limit);

    /// <summary>Distinct values with series of their own so far.</summary>
    public int Count => _values.Count;

    /// <summary>The label value for these UTF-8 bytes ("" for none).</summary>
    public string Of(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[MaxLength];
        return Decode(utf8, chars, out int length) ? Of(chars[..length]) : Other;
    }

    /// <summary>The label value for this text ("" for none).</summary>
    public string Of(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return "";
        if (text.Length > MaxLength) return Other;
        return _values.GetOrAdd(text, static (value, _) => value, 0, Other);
    }

    /// <summary>Decodes strict UTF-8 of at most <see cref="MaxLength"/> characters; false for anything else.</summary>
    public static bool Decode(ReadOnlySpan<byte> utf8, Span<char> chars, out int length)
    {
        length = 0;
        if (utf8.Length > chars.Length * 3) return false;
        try
        {
            if (StrictUtf8.GetCharCount(utf8) > chars.Length) return false;
            length = StrictUtf8.GetChars(utf8, chars);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>
/// A map from text to <typeparamref name="T"/> that holds at most <c>limit</c> entries; past that,
/// new keys get the fallback. Lookups by span allocate nothing. Thread-safe.
/// </summary>
internal sealed class CappedMap<T>
{
    private readonly ConcurrentDictionary<string, T> _map = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _limit;
    private int _count;

    public CappedMap(int limit)
    {
        _limit = limit;
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The value of <paramref name="key"/>, made by <paramref name="create"/> (given the key and <paramref name="state"/>) when new.</summary>
    public T GetOrAdd<TState>(ReadOnlySpan<char> key, Func<string, TState, T> create, TState state, T fallback)
    {
        if (_lookup.TryGetValue(key, out var known)) return known;
        lock (_map)
        {
            if (_lookup.TryGetValue(key, out known)) return known;
            if (_count >= _limit) return fallback;
            string text = key.ToString();
            var value = create(text, state);
            _map[text] = value;
            Volatile.Write(ref _count, _count + 1);
            return value;
        }
    }
}
