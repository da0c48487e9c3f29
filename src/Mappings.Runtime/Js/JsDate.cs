using System.Runtime.CompilerServices;

namespace Mappings.Runtime.Js;

/// <summary>
/// JavaScript's <c>Date.parse</c> exactly as V8 in Node 20 implements it when the process
/// time zone is UTC. The algorithm, and every section number cited below, comes from
/// <c>shared/spec/dates.md</c>.
/// </summary>
/// <remarks>
/// The parser works on UTF-16 code units (the <see cref="char"/>s of the input), never
/// allocates, and does not depend on culture. Pipeline (§1): tokenize (§2, §3), try the
/// ISO format (§4), continue with the legacy parser when ISO hands over (§5), assemble
/// the fields (§6) and turn them into a time value (§7).
/// </remarks>
public static class JsDate
{
    private const long MillisecondsPerSecond = 1_000;
    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>§7: the largest magnitude of a valid time value, 8.64e15 ms.</summary>
    private const long MaxTimeValue = 8_640_000_000_000_000;

    /// <summary>§7: years of larger magnitude are rejected before any arithmetic.</summary>
    private const int MaxYearMagnitude = 1_000_000;

    /// <summary>
    /// <c>Date.parse(text)</c>. Returns <see langword="false"/> where JavaScript returns NaN;
    /// otherwise <paramref name="milliseconds"/> is the time value (ms since the epoch, UTC).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long milliseconds)
    {
        milliseconds = 0;

        // §2: the input ends at the first U+0000; everything after it is ignored.
        int nul = text.IndexOf('\0');
        if (nul >= 0)
        {
            text = text[..nul];
        }

        var tokens = new TokenStream(text);
        var fields = ParsedFields.Create();

        // §1 steps 3–4: phase 1 (ISO), falling back to phase 2 (legacy) on hand-over.
        switch (IsoParser.Parse(ref tokens, ref fields, out Token handOver))
        {
            case IsoOutcome.Rejected:
                return false;
            case IsoOutcome.HandOver:
                if (!LegacyParser.Parse(ref tokens, ref fields, handOver))
                {
                    return false;
                }

                break;
        }

        // §1 steps 5–6.
        return Assembler.TryGetTimeValue(in fields, out milliseconds);
    }

    /// <summary>
    /// <c>Math.floor(Date.parse(text) / 1000)</c>: seconds since the epoch, rounded toward
    /// negative infinity (§7: <c>1969-12-31T23:59:59.500Z</c> gives −1). Returns
    /// <see langword="false"/> where <c>Date.parse</c> returns NaN.
    /// </summary>
    public static bool TryParseUnixSeconds(ReadOnlySpan<char> text, out long seconds)
    {
        if (!TryParse(text, out long milliseconds))
        {
            seconds = 0;
            return false;
        }

        seconds = FloorDivide(milliseconds, MillisecondsPerSecond);
        return true;
    }

    /// <summary>Integer division rounding toward negative infinity (positive divisor).</summary>
    private static long FloorDivide(long dividend, long divisor)
    {
        long quotient = dividend / divisor;
        return dividend % divisor < 0 ? quotient - 1 : quotient;
    }

    // -----------------------------------------------------------------------------------
    // §2 Tokens, §3 Keywords
    // -----------------------------------------------------------------------------------

    /// <summary>§2 token kinds.</summary>
    private enum TokenKind : byte
    {
        End,
        Number,
        Symbol,
        Word,
        Space,
        Other,
    }

    /// <summary>§3 classification of a WORD token.</summary>
    private enum WordKind : byte
    {
        Unknown,
        Month,
        AmPm,
        Zone,
        TimeSeparator,
    }

    /// <summary>
    /// One token (§2). <see cref="Value"/> is the number value (NUM), the month 1..12, the
    /// AM/PM hour offset 0/12 or the zone offset in hours (WORD). <see cref="Length"/> is the
    /// number of code units (for NUM: digits, leading zeros included).
    /// </summary>
    private readonly struct Token
    {
        private Token(TokenKind kind, WordKind word, char symbol, int value, int length)
        {
            Kind = kind;
            Word = word;
            Symbol = symbol;
            Value = value;
            Length = length;
        }

        public TokenKind Kind { get; }

        public WordKind Word { get; }

        public char Symbol { get; }

        public int Value { get; }

        public int Length { get; }

        public static Token End => default;

        public static Token Space => new(TokenKind.Space, default, default, 0, 1);

        public static Token Other => new(TokenKind.Other, default, default, 0, 0);

        public bool IsEnd => Kind == TokenKind.End;

        public bool IsNumber => Kind == TokenKind.Number;

        /// <summary>A <c>+</c> or <c>-</c> symbol.</summary>
        public bool IsSign => IsSymbol('+') || IsSymbol('-');

        /// <summary>"The word Z" (§3): a ZONE word of length 1.</summary>
        public bool IsZoneZ => IsWord(WordKind.Zone) && Length == 1;

        public static Token ForNumber(int value, int length) =>
            new(TokenKind.Number, default, default, value, length);

        public static Token ForSymbol(char symbol) =>
            new(TokenKind.Symbol, default, symbol, 0, 1);

        public static Token ForWord(WordKind kind, int value, int length) =>
            new(TokenKind.Word, kind, default, value, length);

        public bool IsSymbol(char symbol) => Kind == TokenKind.Symbol && Symbol == symbol;

        public bool IsWord(WordKind kind) => Kind == TokenKind.Word && Word == kind;

        /// <summary>A NUM of exactly <paramref name="length"/> digits (leading zeros included).</summary>
        public bool IsNumberOfLength(int length) => Kind == TokenKind.Number && Length == length;

        /// <summary>A NUM of exactly <paramref name="length"/> digits with a value in range.</summary>
        public bool IsNumberInRange(int length, int min, int max) =>
            Kind == TokenKind.Number && Length == length && Value >= min && Value <= max;
    }

    /// <summary>
    /// Lexical scanner with one token of look-ahead (§2). Tokenizing never depends on parser
    /// state; <see cref="Peek"/> is the next token, <see cref="Next"/> consumes it.
    /// </summary>
    private ref struct TokenStream
    {
        /// <summary>§2 NUM: at most this many significant digits are accumulated.</summary>
        private const int MaxSignificantDigits = 9;

        private readonly ReadOnlySpan<char> _text;
        private int _position;
        private Token _next;

        public TokenStream(ReadOnlySpan<char> text)
        {
            _text = text;
            _position = 0;
            _next = Scan();
        }

        public readonly Token Peek => _next;

        public Token Next()
        {
            Token current = _next;
            _next = Scan();
            return current;
        }

        /// <summary>Consumes the next token if it is the given symbol.</summary>
        public bool SkipSymbol(char symbol)
        {
            if (!_next.IsSymbol(symbol))
            {
                return false;
            }

            Next();
            return true;
        }

        /// <summary>§2 table: at each position the first matching rule wins.</summary>
        private Token Scan()
        {
            if (_position >= _text.Length)
            {
                return Token.End; // rule 1
            }

            char c = _text[_position];
            if (IsAsciiDigit(c))
            {
                return ScanNumber(); // rule 2
            }

            if (c is ':' or '-' or '+' or '.' or ')')
            {
                _position++;
                return Token.ForSymbol(c); // rule 3
            }

            // Word chars and space chars are disjoint, so their order does not matter.
            if (IsSpaceChar(c))
            {
                _position++;
                return Token.Space; // rule 5
            }

            if (IsWordChar(c))
            {
                return ScanWord(); // rule 4
            }

            if (c == '(')
            {
                SkipParenthesisedGroup(); // rule 6
                return Token.Other;
            }

            _position++;
            return Token.Other; // rule 7
        }

        /// <summary>§2 NUM: value skips leading zeros and keeps at most 9 digits; length counts all.</summary>
        private Token ScanNumber()
        {
            int start = _position;
            while (_position < _text.Length && IsAsciiDigit(_text[_position]))
            {
                _position++;
            }

            ReadOnlySpan<char> digits = _text[start.._position];
            int index = 0;
            while (index < digits.Length && digits[index] == '0')
            {
                index++;
            }

            int value = 0;
            int end = Math.Min(digits.Length, index + MaxSignificantDigits);
            for (; index < end; index++)
            {
                value = (value * 10) + (digits[index] - '0');
            }

            return Token.ForNumber(value, digits.Length);
        }

        private Token ScanWord()
        {
            int start = _position;
            while (_position < _text.Length && IsWordChar(_text[_position]))
            {
                _position++;
            }

            ReadOnlySpan<char> word = _text[start.._position];
            WordKind kind = Keywords.Classify(word, out int value);
            return Token.ForWord(kind, value, word.Length);
        }

        /// <summary>§2 rule 6: a balanced group, nesting counted; unclosed runs to the end.</summary>
        private void SkipParenthesisedGroup()
        {
            int depth = 0;
            while (_position < _text.Length)
            {
                char c = _text[_position++];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    return;
                }
            }
        }
    }

    /// <summary>§2: only ASCII digits are digits.</summary>
    private static bool IsAsciiDigit(char c) => (uint)(c - '0') <= 9;

    /// <summary>§2 space chars, exactly this set.</summary>
    private static bool IsSpaceChar(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' => true,
        '\u00A0' or '\u1680' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    /// <summary>§2 word chars: every code unit ≥ 'A' that is not a space char.</summary>
    private static bool IsWordChar(char c) => c >= 'A' && !IsSpaceChar(c);

    /// <summary>§3 keyword classification.</summary>
    private static class Keywords
    {
        /// <summary>Longest keyword that is matched in full (§3 rule 2).</summary>
        private const int MaxKeywordLength = 3;

        public static WordKind Classify(ReadOnlySpan<char> word, out int value)
        {
            // Fold case on ASCII letters only (no Unicode case folding, §3).
            Span<char> folded = stackalloc char[MaxKeywordLength];
            int foldedLength = Math.Min(word.Length, MaxKeywordLength);
            for (int i = 0; i < foldedLength; i++)
            {
                folded[i] = FoldAsciiLetter(word[i]);
            }

            // Rule 1: a month needs only its first three code units to match.
            if (word.Length >= MaxKeywordLength && TryGetMonth(folded, out value))
            {
                return WordKind.Month;
            }

            // Rule 2: other keywords must match exactly; rule 3: everything else is unknown.
            if (word.Length > MaxKeywordLength)
            {
                value = 0;
                return WordKind.Unknown;
            }

            return ClassifyShortWord(folded[..foldedLength], out value);
        }

        private static char FoldAsciiLetter(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;

        private static bool TryGetMonth(ReadOnlySpan<char> prefix, out int month)
        {
            month = prefix switch
            {
                "jan" => 1,
                "feb" => 2,
                "mar" => 3,
                "apr" => 4,
                "may" => 5,
                "jun" => 6,
                "jul" => 7,
                "aug" => 8,
                "sep" => 9,
                "oct" => 10,
                "nov" => 11,
                "dec" => 12,
                _ => 0,
            };
            return month != 0;
        }

        /// <summary>§3 rule 2 table (values: AM/PM hour offset, zone offset in hours).</summary>
        private static WordKind ClassifyShortWord(ReadOnlySpan<char> word, out int value)
        {
            (WordKind kind, value) = word switch
            {
                "am" => (WordKind.AmPm, 0),
                "pm" => (WordKind.AmPm, 12),
                "ut" or "utc" or "gmt" or "z" => (WordKind.Zone, 0),
                "edt" => (WordKind.Zone, -4),
                "est" or "cdt" => (WordKind.Zone, -5),
                "cst" or "mdt" => (WordKind.Zone, -6),
                "mst" or "pdt" => (WordKind.Zone, -7),
                "pst" => (WordKind.Zone, -8),
                "t" => (WordKind.TimeSeparator, 0),
                _ => (WordKind.Unknown, 0),
            };
            return kind;
        }
    }

    // -----------------------------------------------------------------------------------
    // Parser state shared by both phases (§5 "State")
    // -----------------------------------------------------------------------------------

    /// <summary>Fixed storage for up to four numeric components.</summary>
    [InlineArray(4)]
    private struct FourInts
    {
        private int _element;
    }

    /// <summary>§5 <c>D</c>: up to three date numbers.</summary>
    private struct DateNumbers
    {
        public const int Capacity = 3;

        private FourInts _items;

        public int Count { get; private set; }

        /// <summary>Component <paramref name="index"/>, or 1 when missing (§6.1 step 2).</summary>
        public readonly int GetOrOne(int index) => index < Count ? _items[index] : 1;

        public bool TryAdd(int value)
        {
            if (Count == Capacity)
            {
                return false;
            }

            _items[Count++] = value;
            return true;
        }
    }

    /// <summary>§5 <c>T</c>: up to four time fields (hour, minute, second, millisecond).</summary>
    private struct TimeFields
    {
        public const int Capacity = 4;

        private FourInts _items;

        public int Count { get; private set; }

        public readonly bool IsEmpty => Count == 0;

        /// <summary>Field <paramref name="index"/>, or 0 when missing (§6.2 padding).</summary>
        public readonly int GetOrZero(int index) => index < Count ? _items[index] : 0;

        /// <summary>
        /// §5 "T expects n": one or two fields and n ≤ 59 (minute, second), or three fields
        /// and n ≤ 999 (millisecond).
        /// </summary>
        public readonly bool IsExpecting(int n) => Count switch
        {
            1 or 2 => n is >= 0 and <= 59,
            3 => n is >= 0 and <= 999,
            _ => false,
        };

        public bool TryAdd(int value)
        {
            if (Count == Capacity)
            {
                return false;
            }

            _items[Count++] = value;
            return true;
        }

        /// <summary>Appends a final field (dropped silently when full) and pads with zeros.</summary>
        public void AddFinal(int value)
        {
            TryAdd(value);
            PadWithZeros();
        }

        public void PadWithZeros()
        {
            while (TryAdd(0))
            {
            }
        }
    }

    /// <summary>Everything the two phases collect (§5 "State"), consumed by §6.</summary>
    private struct ParsedFields
    {
        /// <summary>Marks an unset zone hour/minute or AM/PM.</summary>
        public const int Unset = -1;

        public DateNumbers Date;
        public TimeFields Time;

        /// <summary>Named month 1..12, or 0 when none was seen.</summary>
        public int NamedMonth;

        /// <summary>0 or 12 when AM/PM was seen, else <see cref="Unset"/>.</summary>
        public int AmPm;

        /// <summary>+1 / −1 once an offset was set (§6.3); 0 means "no offset" (local time).</summary>
        public int ZoneSign;

        public int ZoneHours;
        public int ZoneMinutes;

        /// <summary>Phase 1 succeeded (§4.3): fields are taken literally.</summary>
        public bool IsIso;

        /// <summary>§5 C: the zone is exactly "+0" (hours and minutes both set and zero).</summary>
        public readonly bool IsZoneZero => ZoneHours == 0 && ZoneMinutes == 0;

        public static ParsedFields Create() => new()
        {
            AmPm = Unset,
            ZoneHours = Unset,
            ZoneMinutes = Unset,
        };

        public void SetZone(int sign, int hours, int minutes)
        {
            ZoneSign = sign;
            ZoneHours = hours;
            ZoneMinutes = minutes;
        }
    }

    // -----------------------------------------------------------------------------------
    // §4 Phase 1 — ISO format
    // -----------------------------------------------------------------------------------

    private enum IsoOutcome
    {
        /// <summary>§4.3: a complete ISO string.</summary>
        Success,

        /// <summary>§4.2: a failure after <c>T</c>; the whole result is NaN.</summary>
        Rejected,

        /// <summary>Phase 2 continues from the hand-over token.</summary>
        HandOver,
    }

    private static class IsoParser
    {
        public static IsoOutcome Parse(ref TokenStream tokens, ref ParsedFields fields, out Token handOver)
        {
            if (!TryParseDate(ref tokens, ref fields, out handOver))
            {
                return IsoOutcome.HandOver;
            }

            // §4.1 step 4.
            if (tokens.Peek.IsEnd)
            {
                fields.IsIso = true;
                return IsoOutcome.Success;
            }

            if (!tokens.Peek.IsWord(WordKind.TimeSeparator))
            {
                handOver = tokens.Next();
                return IsoOutcome.HandOver;
            }

            tokens.Next();
            if (!TryParseTime(ref tokens, ref fields))
            {
                return IsoOutcome.Rejected;
            }

            fields.IsIso = true;
            return IsoOutcome.Success;
        }

        /// <summary>
        /// §4.1 steps 1–3. Returns <see langword="false"/> with the token to hand over when
        /// the date part does not have the ISO shape; the numbers added so far are kept.
        /// </summary>
        private static bool TryParseDate(ref TokenStream tokens, ref ParsedFields fields, out Token handOver)
        {
            handOver = default;

            // Step 1: year, either sign + 6 digits or exactly 4 digits.
            if (tokens.Peek.IsSign)
            {
                Token sign = tokens.Next();
                if (!tokens.Peek.IsNumberOfLength(6))
                {
                    handOver = sign;
                    return false;
                }

                int year = tokens.Next().Value;
                if (sign.Symbol == '-' && year == 0)
                {
                    handOver = sign; // "-000000": the six zeros are consumed and lost.
                    return false;
                }

                fields.Date.TryAdd(sign.Symbol == '-' ? -year : year);
            }
            else if (tokens.Peek.IsNumberOfLength(4))
            {
                fields.Date.TryAdd(tokens.Next().Value);
            }
            else
            {
                handOver = tokens.Next();
                return false;
            }

            // Step 2: "-MM".
            if (!TryParseDateComponent(ref tokens, ref fields, 12, out handOver, out bool hasMonth))
            {
                return false;
            }

            // Step 3, only after a month: "-DD", not checked against the month's length.
            return !hasMonth || TryParseDateComponent(ref tokens, ref fields, 31, out handOver, out _);
        }

        /// <summary>
        /// An optional <c>-</c> followed by a 2-digit NUM in 1..<paramref name="max"/>.
        /// After the <c>-</c>, anything else is consumed and handed over.
        /// </summary>
        private static bool TryParseDateComponent(
            ref TokenStream tokens, ref ParsedFields fields, int max, out Token handOver, out bool added)
        {
            handOver = default;
            added = false;
            if (!tokens.SkipSymbol('-'))
            {
                return true;
            }

            if (!tokens.Peek.IsNumberInRange(2, 1, max))
            {
                handOver = tokens.Next();
                return false;
            }

            fields.Date.TryAdd(tokens.Next().Value);
            added = true;
            return true;
        }

        /// <summary>§4.2: the strict time part after <c>T</c>; any failure is NaN.</summary>
        private static bool TryParseTime(ref TokenStream tokens, ref ParsedFields fields)
        {
            // Steps 1–2: hh:mm.
            if (!TryTakeTwoDigits(ref tokens, 24, out int hour)
                || !tokens.SkipSymbol(':')
                || !TryTakeTwoDigits(ref tokens, 59, out int minute))
            {
                return false;
            }

            // Step 3: optional :ss; step 4: optional .fraction, only after seconds.
            int second = 0;
            int millisecond = 0;
            int fractionValue = 0;
            if (tokens.SkipSymbol(':'))
            {
                if (!TryTakeTwoDigits(ref tokens, 59, out second))
                {
                    return false;
                }

                if (tokens.SkipSymbol('.'))
                {
                    if (!tokens.Peek.IsNumber)
                    {
                        return false;
                    }

                    Token fraction = tokens.Next();
                    fractionValue = fraction.Value;
                    millisecond = FractionToMilliseconds(fraction);
                }
            }

            // Hour 24 only as 24:00[:00[.0]].
            if (hour == 24 && (minute != 0 || second != 0 || fractionValue != 0))
            {
                return false;
            }

            fields.Time.TryAdd(hour);
            fields.Time.TryAdd(minute);
            fields.Time.TryAdd(second);
            fields.Time.TryAdd(millisecond);

            // Step 5: optional zone; step 6: then the input must end.
            return TryParseZone(ref tokens, ref fields) && tokens.Peek.IsEnd;
        }

        /// <summary>§4.2 step 5: <c>Z</c>, <c>±hhmm</c> or <c>±hh:mm</c> (no zone is fine too).</summary>
        private static bool TryParseZone(ref TokenStream tokens, ref ParsedFields fields)
        {
            if (tokens.Peek.IsZoneZ)
            {
                tokens.Next();
                fields.SetZone(1, 0, 0);
                return true;
            }

            if (!tokens.Peek.IsSign)
            {
                return true;
            }

            int sign = tokens.Next().Symbol == '-' ? -1 : 1;
            int hours;
            int minutes;
            if (tokens.Peek.IsNumberOfLength(4))
            {
                int hhmm = tokens.Next().Value;
                (hours, minutes) = Math.DivRem(hhmm, 100);
                if (hours > 23 || minutes > 59)
                {
                    return false;
                }
            }
            else if (!TryTakeTwoDigits(ref tokens, 23, out hours)
                || !tokens.SkipSymbol(':')
                || !TryTakeTwoDigits(ref tokens, 59, out minutes))
            {
                return false;
            }

            fields.SetZone(sign, hours, minutes);
            return true;
        }

        private static bool TryTakeTwoDigits(ref TokenStream tokens, int max, out int value)
        {
            if (!tokens.Peek.IsNumberInRange(2, 0, max))
            {
                value = 0;
                return false;
            }

            value = tokens.Next().Value;
            return true;
        }
    }

    /// <summary>
    /// §4.4: milliseconds from a fraction NUM. "First three digits, truncated", except that
    /// <c>value</c> skips leading zeros while the digit count used is capped at 9.
    /// </summary>
    private static int FractionToMilliseconds(Token fraction)
    {
        switch (fraction.Length)
        {
            case 1:
                return fraction.Value * 100;
            case 2:
                return fraction.Value * 10;
            case 3:
                return fraction.Value;
            default:
                int excessDigits = Math.Min(fraction.Length, 9) - 3;
                int divisor = 1;
                for (int i = 0; i < excessDigits; i++)
                {
                    divisor *= 10;
                }

                return fraction.Value / divisor;
        }
    }

    // -----------------------------------------------------------------------------------
    // §5 Phase 2 — legacy parser
    // -----------------------------------------------------------------------------------

    private static class LegacyParser
    {
        /// <summary>Processes the hand-over token and every following token until END.</summary>
        public static bool Parse(ref TokenStream tokens, ref ParsedFields fields, Token first)
        {
            // "seen" — a number has been read; true iff phase 1 put anything in D.
            bool seen = fields.Date.Count > 0;

            for (Token token = first; !token.IsEnd; token = tokens.Next())
            {
                bool ok = token.Kind switch
                {
                    TokenKind.Number => OnNumber(ref tokens, ref fields, token.Value, ref seen),
                    TokenKind.Word => OnWord(ref tokens, ref fields, token, seen),
                    TokenKind.Symbol => OnSymbol(ref tokens, ref fields, token, ref seen),
                    _ => true, // §5 E: SPACE and OTHER (incl. parenthesised groups) are ignored.
                };

                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>§5 A: a number; the first matching case wins.</summary>
        private static bool OnNumber(ref TokenStream tokens, ref ParsedFields fields, int n, ref bool seen)
        {
            seen = true;

            // A1: "n:" starts or continues a time; "n::" is hour n, minute 0.
            if (tokens.SkipSymbol(':'))
            {
                if (tokens.SkipSymbol(':'))
                {
                    if (!fields.Time.IsEmpty)
                    {
                        return false;
                    }

                    fields.Time.TryAdd(n);
                    fields.Time.TryAdd(0);
                    return true;
                }

                if (!fields.Time.TryAdd(n))
                {
                    return false;
                }

                tokens.SkipSymbol('.');
                return true;
            }

            // A2: "n." — the '.' is consumed even when n is not an expected time field.
            if (tokens.SkipSymbol('.') && fields.Time.IsExpecting(n))
            {
                fields.Time.TryAdd(n);
                if (!tokens.Peek.IsNumber)
                {
                    return false;
                }

                fields.Time.AddFinal(FractionToMilliseconds(tokens.Next()));
                return true;
            }

            // A3: the minutes of a "+hh:mm" offset.
            if (fields.ZoneHours != ParsedFields.Unset && fields.ZoneMinutes == ParsedFields.Unset && n <= 59)
            {
                fields.ZoneMinutes = n;
                return true;
            }

            // A4: the last field of a time, which must be followed by END, SPACE, Z or a sign.
            if (fields.Time.IsExpecting(n))
            {
                fields.Time.TryAdd(n);
                fields.Time.PadWithZeros();
                Token next = tokens.Peek;
                return next.IsEnd || next.Kind == TokenKind.Space || next.IsZoneZ || next.IsSign;
            }

            // A5: a date number, optionally followed by '-'.
            if (!fields.Date.TryAdd(n))
            {
                return false;
            }

            tokens.SkipSymbol('-');
            return true;
        }

        /// <summary>§5 B: a word.</summary>
        private static bool OnWord(ref TokenStream tokens, ref ParsedFields fields, Token word, bool seen)
        {
            switch (word.Word)
            {
                case WordKind.AmPm when !fields.Time.IsEmpty: // B1
                    fields.AmPm = word.Value;
                    return true;

                case WordKind.Month: // B2: the last month name wins.
                    fields.NamedMonth = word.Value;
                    tokens.SkipSymbol('-');
                    return true;

                case WordKind.Zone when seen: // B3
                    fields.SetZone(word.Value < 0 ? -1 : 1, Math.Abs(word.Value), 0);
                    return true;

                default:
                    // B4: garbage after the first number is fatal, and so is a word glued
                    // to a following number; otherwise the word is skipped.
                    return !seen && !tokens.Peek.IsNumber;
            }
        }

        /// <summary>§5 C, D and E for the symbols <c>: - + . )</c>.</summary>
        private static bool OnSymbol(ref TokenStream tokens, ref ParsedFields fields, Token symbol, ref bool seen)
        {
            if (symbol.IsSign && (fields.IsZoneZero || !fields.Time.IsEmpty))
            {
                seen = true;
                return TryParseOffset(ref tokens, ref fields, symbol.Symbol == '-' ? -1 : 1);
            }

            if (symbol.IsSign || symbol.IsSymbol(')'))
            {
                return !seen; // D
            }

            return true; // E: a ':' or '.' not consumed by a number.
        }

        /// <summary>§5 C: the numeric part of an offset after its sign (no range checks).</summary>
        private static bool TryParseOffset(ref TokenStream tokens, ref ParsedFields fields, int sign)
        {
            int value = 0;
            int length = 0;
            if (tokens.Peek.IsNumber)
            {
                Token number = tokens.Next();
                value = number.Value;
                length = number.Length;
            }

            if (tokens.Peek.IsSymbol(':'))
            {
                fields.SetZone(sign, value, ParsedFields.Unset); // minutes follow via A3
                return true;
            }

            switch (length)
            {
                case 1 or 2:
                    fields.SetZone(sign, value, 0); // "GMT-8", "+05"
                    return true;
                case 3 or 4:
                    fields.SetZone(sign, value / 100, value % 100); // "+530", "+0599"
                    return true;
                default:
                    return false; // "GMT+", "+05300"
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // §6 Assembling the fields, §7 Time value
    // -----------------------------------------------------------------------------------

    private static class Assembler
    {
        public static bool TryGetTimeValue(in ParsedFields fields, out long milliseconds)
        {
            milliseconds = 0;
            if (!TryGetDate(in fields, out int year, out int month, out int day)
                || !TryGetTimeOfDay(in fields, out long timeOfDay)
                || !TryGetOffsetSeconds(in fields, out long offsetSeconds)
                || Math.Abs(year) > MaxYearMagnitude)
            {
                return false;
            }

            // §7: days since the epoch; day 29–31 of a short month simply rolls over.
            long days = DaysFromCivil(year, month) + day - 1;
            long time = (days * MillisecondsPerDay) + timeOfDay - (offsetSeconds * MillisecondsPerSecond);
            if (Math.Abs(time) > MaxTimeValue)
            {
                return false;
            }

            milliseconds = time;
            return true;
        }

        /// <summary>§6.1: year, month and day from <c>D</c> and the named month.</summary>
        private static bool TryGetDate(in ParsedFields fields, out int year, out int month, out int day)
        {
            year = month = day = 0;
            if (fields.Date.Count == 0)
            {
                return false; // step 1
            }

            // Step 2: missing components are 1.
            int c0 = fields.Date.GetOrOne(0);
            int c1 = fields.Date.GetOrOne(1);
            int c2 = fields.Date.GetOrOne(2);
            bool c0CanBeDay = c0 is >= 1 and <= 31;

            if (fields.NamedMonth == 0)
            {
                // Step 3: Y/M/D when ISO or when c0 cannot be a day, else US order M/D/Y.
                (year, month, day) = fields.IsIso || !c0CanBeDay ? (c0, c1, c2) : (c2, c0, c1);
            }
            else
            {
                // Step 4: only two numbers matter; c2 is ignored.
                month = fields.NamedMonth;
                (year, day) = c0CanBeDay ? (c1, c0) : (c0, c1);
            }

            // Step 5: two-digit years (by value) outside ISO.
            if (!fields.IsIso)
            {
                if (year is >= 0 and <= 49)
                {
                    year += 2000;
                }
                else if (year is >= 50 and <= 99)
                {
                    year += 1900;
                }
            }

            // Step 6.
            return month is >= 1 and <= 12 && day is >= 1 and <= 31;
        }

        /// <summary>§6.2: milliseconds since midnight from <c>T</c> and AM/PM.</summary>
        private static bool TryGetTimeOfDay(in ParsedFields fields, out long milliseconds)
        {
            milliseconds = 0;
            int hour = fields.Time.GetOrZero(0);
            int minute = fields.Time.GetOrZero(1);
            int second = fields.Time.GetOrZero(2);
            int millisecond = fields.Time.GetOrZero(3);

            if (fields.AmPm != ParsedFields.Unset)
            {
                if (hour is < 0 or > 12)
                {
                    return false;
                }

                hour = (hour % 12) + fields.AmPm;
            }

            bool isOrdinary = hour is >= 0 and <= 23
                && minute is >= 0 and <= 59
                && second is >= 0 and <= 59
                && millisecond is >= 0 and <= 999;
            bool isEndOfDay = hour == 24 && minute == 0 && second == 0 && millisecond == 0;
            if (!isOrdinary && !isEndOfDay)
            {
                return false;
            }

            milliseconds = (((((hour * 60L) + minute) * 60) + second) * MillisecondsPerSecond) + millisecond;
            return true;
        }

        /// <summary>
        /// §6.3: the offset in seconds (0 when no offset, i.e. local time = UTC). The
        /// magnitude is summed in unsigned 32-bit arithmetic and must fit in an int.
        /// </summary>
        private static bool TryGetOffsetSeconds(in ParsedFields fields, out long offsetSeconds)
        {
            offsetSeconds = 0;
            if (fields.ZoneSign == 0)
            {
                return true;
            }

            uint hours = fields.ZoneHours == ParsedFields.Unset ? 0u : (uint)fields.ZoneHours;
            uint minutes = fields.ZoneMinutes == ParsedFields.Unset ? 0u : (uint)fields.ZoneMinutes;
            uint magnitude = unchecked((hours * 3600u) + (minutes * 60u));
            if (magnitude > int.MaxValue)
            {
                return false;
            }

            offsetSeconds = fields.ZoneSign * (long)magnitude;
            return true;
        }

        /// <summary>
        /// Days from 1970-01-01 to the first of <paramref name="month"/> in
        /// <paramref name="year"/>, proleptic Gregorian calendar with a year 0 (§7).
        /// Uses floor division so negative years work.
        /// </summary>
        private static long DaysFromCivil(long year, int month)
        {
            // Count years from March so the leap day is the last day of the year.
            long marchYear = month <= 2 ? year - 1 : year;
            long era = FloorDivide(marchYear, 400);
            long yearOfEra = marchYear - (era * 400);                       // 0..399
            int monthFromMarch = (month + 9) % 12;                          // Mar = 0 .. Feb = 11
            long dayOfYear = ((153 * monthFromMarch) + 2) / 5;              // first of the month
            long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            const long DaysFromEraStartTo1970 = 719_468;                    // 0000-03-01 .. 1970-01-01
            return (era * 146_097) + dayOfEra - DaysFromEraStartTo1970;
        }
    }
}
