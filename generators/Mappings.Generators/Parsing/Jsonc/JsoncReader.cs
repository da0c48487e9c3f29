using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing.Jsonc;

/// <summary>A syntax error in a mapping file, at a character position.</summary>
internal sealed class JsoncException : Exception
{
    public JsoncException(string message, int position, int length = 1)
        : base(message)
    {
        Position = position;
        Length = length;
    }

    public int Position { get; }

    public int Length { get; }
}

/// <summary>
/// Reads JSON with comments (<c>// …</c> and <c>/* … */</c>) into <see cref="JNode"/>s that know
/// their exact spans, so diagnostics can point at the right line and column. Strict otherwise:
/// no trailing commas, no single quotes, no unquoted names.
/// </summary>
internal sealed class JsoncReader
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private int _pos;
    private int _depth;

    private JsoncReader(string text) => _text = text;

    /// <summary>Parses a whole document. Throws <see cref="JsoncException"/> at the first error.</summary>
    public static JNode Parse(string text)
    {
        var reader = new JsoncReader(text);
        reader.SkipTrivia();
        if (reader._pos >= text.Length)
        {
            throw new JsoncException("the file is empty; a mapping file holds one JSON object", 0, 0);
        }

        JNode root = reader.ReadValue();
        reader.SkipTrivia();
        if (reader._pos < text.Length)
        {
            throw new JsoncException($"unexpected {Describe(text[reader._pos])} after the end of the JSON value", reader._pos);
        }

        return root;
    }

    private JNode ReadValue()
    {
        if (_pos >= _text.Length)
        {
            throw new JsoncException("the file ends where a value was expected", _text.Length, 0);
        }

        char c = _text[_pos];
        switch (c)
        {
            case '{': return ReadObject();
            case '[': return ReadArray();
            case '"':
                int start = _pos;
                string s = ReadString();
                return new JString(TextSpan.FromBounds(start, _pos), s);
            case 't': return ReadLiteral("true", span => new JBoolean(span, true));
            case 'f': return ReadLiteral("false", span => new JBoolean(span, false));
            case 'n': return ReadLiteral("null", span => new JNull(span));
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ReadNumber();
                }

                if (c == '\'')
                {
                    throw new JsoncException("strings must use double quotes", _pos);
                }

                throw new JsoncException($"unexpected {Describe(c)}; expected a value", _pos);
        }
    }

    private JObject ReadObject()
    {
        int start = _pos;
        Enter(start);
        _pos++; // {
        var properties = new List<JProperty>();
        SkipTrivia();
        if (Peek() == '}')
        {
            _pos++;
            _depth--;
            return new JObject(TextSpan.FromBounds(start, _pos), properties);
        }

        while (true)
        {
            SkipTrivia();
            if (Peek() != '"')
            {
                if (Peek() == '}' && properties.Count > 0)
                {
                    throw new JsoncException("trailing comma before '}'", LastComma(_pos));
                }

                throw new JsoncException(_pos >= _text.Length ? "the file ends inside an object" : $"unexpected {Describe(_text[_pos])}; expected a property name in double quotes", _pos);
            }

            int nameStart = _pos;
            string name = ReadString();
            var nameSpan = TextSpan.FromBounds(nameStart, _pos);
            SkipTrivia();
            Expect(':', "expected ':' after the property name");
            SkipTrivia();
            JNode value = ReadValue();
            properties.Add(new JProperty(name, nameSpan, value));
            SkipTrivia();
            char next = Peek();
            if (next == ',')
            {
                _pos++;
                continue;
            }

            if (next == '}')
            {
                _pos++;
                _depth--;
                return new JObject(TextSpan.FromBounds(start, _pos), properties);
            }

            throw new JsoncException(_pos >= _text.Length ? "the file ends inside an object; expected ',' or '}'" : $"unexpected {Describe(next)}; expected ',' or '}}'", _pos);
        }
    }

    private JArray ReadArray()
    {
        int start = _pos;
        Enter(start);
        _pos++; // [
        var items = new List<JNode>();
        SkipTrivia();
        if (Peek() == ']')
        {
            _pos++;
            _depth--;
            return new JArray(TextSpan.FromBounds(start, _pos), items);
        }

        while (true)
        {
            SkipTrivia();
            if (Peek() == ']' && items.Count > 0)
            {
                throw new JsoncException("trailing comma before ']'", LastComma(_pos));
            }

            items.Add(ReadValue());
            SkipTrivia();
            char next = Peek();
            if (next == ',')
            {
                _pos++;
                continue;
            }

            if (next == ']')
            {
                _pos++;
                _depth--;
                return new JArray(TextSpan.FromBounds(start, _pos), items);
            }

            throw new JsoncException(_pos >= _text.Length ? "the file ends inside an array; expected ',' or ']'" : $"unexpected {Describe(next)}; expected ',' or ']'", _pos);
        }
    }

    private void Enter(int position)
    {
        if (++_depth > MaxDepth)
        {
            throw new JsoncException($"nesting deeper than {MaxDepth} levels", position);
        }
    }

    private int LastComma(int before)
    {
        int i = _text.LastIndexOf(',', Math.Max(0, before - 1));
        return i < 0 ? before : i;
    }

    private string ReadString()
    {
        int start = _pos;
        _pos++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new JsoncException("unterminated string", start, 1);
            }

            char c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return builder.ToString();
            }

            if (c == '\n' || c == '\r')
            {
                throw new JsoncException("line break inside a string (write \\n)", _pos);
            }

            if (c < ' ')
            {
                throw new JsoncException($"control character U+{(int)c:X4} inside a string (escape it)", _pos);
            }

            if (c != '\\')
            {
                builder.Append(c);
                _pos++;
                continue;
            }

            int escape = _pos;
            _pos++;
            if (_pos >= _text.Length)
            {
                throw new JsoncException("unterminated string", start, 1);
            }

            char e = _text[_pos++];
            switch (e)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw new JsoncException("\\u must be followed by four hexadecimal digits", escape, 2);
                    }

                    builder.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw new JsoncException($"unknown escape '\\{e}'", escape, 2);
            }
        }
    }

    private JNumber ReadNumber()
    {
        int start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        if (Peek() == '0')
        {
            _pos++;
        }
        else if (IsDigit(Peek()))
        {
            while (IsDigit(Peek()))
            {
                _pos++;
            }
        }
        else
        {
            throw new JsoncException("a number needs digits", _pos);
        }

        if (Peek() == '.')
        {
            _pos++;
            if (!IsDigit(Peek()))
            {
                throw new JsoncException("a decimal point must be followed by digits", _pos);
            }

            while (IsDigit(Peek()))
            {
                _pos++;
            }
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            _pos++;
            if (Peek() == '+' || Peek() == '-')
            {
                _pos++;
            }

            if (!IsDigit(Peek()))
            {
                throw new JsoncException("an exponent needs digits", _pos);
            }

            while (IsDigit(Peek()))
            {
                _pos++;
            }
        }

        string literal = _text.Substring(start, _pos - start);
        double value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new JNumber(TextSpan.FromBounds(start, _pos), literal, value);
    }

    private JNode ReadLiteral(string word, Func<TextSpan, JNode> create)
    {
        int start = _pos;
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            int end = _pos;
            while (end < _text.Length && char.IsLetter(_text[end]))
            {
                end++;
            }

            throw new JsoncException($"unexpected word '{_text.Substring(start, Math.Max(1, end - start))}'; expected a value (true, false, null, a number, a string, an object or an array)", start, Math.Max(1, end - start));
        }

        _pos += word.Length;
        return create(TextSpan.FromBounds(start, _pos));
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                int close = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new JsoncException("unterminated /* comment", _pos, 2);
                }

                _pos = close + 2;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void Expect(char c, string message)
    {
        if (Peek() != c)
        {
            throw new JsoncException(_pos >= _text.Length ? "the file ends early; " + message : message, _pos);
        }

        _pos++;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static string Describe(char c) => c switch
    {
        '\n' or '\r' => "line break",
        _ when c < ' ' => $"control character U+{(int)c:X4}",
        _ => $"'{c}'",
    };
}
