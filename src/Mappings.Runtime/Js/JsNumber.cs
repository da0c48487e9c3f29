using System.Globalization;
using System.Numerics;

namespace Mappings.Runtime.Js;

/// <summary>
/// JavaScript (ECMAScript, as in Node 20 / V8) number semantics: <c>Number::toString</c>,
/// <c>JSON.parse</c> of number literals, <c>Number(string)</c>. Every method here is allocation-free.
/// </summary>
public static class JsNumber
{
    /// <summary>
    /// The longest text <see cref="FormatUtf16"/>/<see cref="FormatUtf8"/> can produce: 25 units,
    /// e.g. <c>-0.0000012345678901234567</c> (sign, <c>0.</c>, five zeros, 17 digits).
    /// The exponential form is at most 24 (<c>-1.2345678901234567e-308</c>) and the plain integer
    /// form at most 22 (<c>-123456789012345680000</c>). A destination of 32 units always suffices.
    /// </summary>
    public const int MaxLength = 25;

    private const int ScratchLength = 32;
    private const double TwoPow53 = 9007199254740992.0;

    // 10^0 … 10^22: every one of them is exactly representable as a double.
    // (A static array, not a ReadOnlySpan<double> property: unoptimised builds allocate for the latter.)
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>True when <paramref name="d"/> is <c>0</c>, <c>-0</c> or <c>NaN</c>.</summary>
    public static bool IsZeroOrNaN(double d) => d == 0 || double.IsNaN(d);

    // ------------------------------------------------------------------------------------------
    // Number::toString(x), radix 10
    // ------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes ECMAScript <c>Number::toString(value)</c> (what <c>String(value)</c> and
    /// <c>JSON.stringify</c> print for a finite number) as UTF-16 and returns the number of chars
    /// written. <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> are written by name (JSON callers
    /// write <c>null</c> for those themselves). At most <see cref="MaxLength"/> chars are written.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than the text.</exception>
    public static int FormatUtf16(double value, Span<char> destination)
    {
        Span<char> text = stackalloc char[ScratchLength];
        int length = FormatCore(value, text);
        if (length > destination.Length)
        {
            ThrowDestinationTooShort();
        }

        text[..length].CopyTo(destination);
        return length;
    }

    /// <summary>
    /// Writes ECMAScript <c>Number::toString(value)</c> as UTF-8 (always ASCII) and returns the
    /// number of bytes written. See <see cref="FormatUtf16"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than the text.</exception>
    public static int FormatUtf8(double value, Span<byte> destination)
    {
        Span<char> text = stackalloc char[ScratchLength];
        int length = FormatCore(value, text);
        if (length > destination.Length)
        {
            ThrowDestinationTooShort();
        }

        for (int i = 0; i < length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return length;
    }

    private static int FormatCore(double value, Span<char> dst)
    {
        if (!double.IsFinite(value))
        {
            ReadOnlySpan<char> name = double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
            name.CopyTo(dst);
            return name.Length;
        }

        if (value == 0)
        {
            // Both +0 and -0 print "0".
            dst[0] = '0';
            return 1;
        }

        int written;
        if (Math.Abs(value) < TwoPow53 && value == Math.Truncate(value))
        {
            // Safe integers: the exact integer is the shortest round-trip form, and k <= n <= 16.
            ((long)value).TryFormat(dst, out written, default, CultureInfo.InvariantCulture);
            return written;
        }

        // .NET Core 3.0+ "R" gives the shortest round-trip digits (the same digits as V8, which also
        // picks the candidate closest to the exact value), but lays them out differently: it switches
        // to "E+15"/"E-05" style exponents at other thresholds. Take only digits and exponent from it.
        Span<char> r = stackalloc char[ScratchLength];
        if (!value.TryFormat(r, out int rLength, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("double.TryFormat(\"R\") needed more than 32 chars.");
        }

        int w = 0;
        int p = 0;
        if (r[0] == '-')
        {
            dst[w++] = '-';
            p = 1;
        }

        Span<char> digits = stackalloc char[ScratchLength];
        int digitCount = 0;
        int digitsBeforePoint = -1;
        for (; p < rLength; p++)
        {
            char c = r[p];
            if (c == '.')
            {
                digitsBeforePoint = digitCount;
            }
            else if (c == 'E' || c == 'e')
            {
                break;
            }
            else
            {
                digits[digitCount++] = c;
            }
        }

        if (digitsBeforePoint < 0)
        {
            digitsBeforePoint = digitCount;
        }

        int exponent = 0;
        if (p < rLength)
        {
            p++; // 'E'
            bool negativeExponent = false;
            if (r[p] == '-')
            {
                negativeExponent = true;
                p++;
            }
            else if (r[p] == '+')
            {
                p++;
            }

            for (; p < rLength; p++)
            {
                exponent = (exponent * 10) + (r[p] - '0');
            }

            if (negativeExponent)
            {
                exponent = -exponent;
            }
        }

        // value = 0.d1d2…dk × 10^n with d1 != 0 (ECMAScript's k, n and s).
        int n = digitsBeforePoint + exponent;
        int first = 0;
        while (first < digitCount && digits[first] == '0')
        {
            first++;
            n--;
        }

        int last = digitCount;
        while (last > first && digits[last - 1] == '0')
        {
            last--;
        }

        ReadOnlySpan<char> s = digits[first..last];
        int k = s.Length;

        if (k <= n && n <= 21)
        {
            // Integer: the digits, then n − k zeros.
            s.CopyTo(dst[w..]);
            w += k;
            dst.Slice(w, n - k).Fill('0');
            w += n - k;
        }
        else if (0 < n && n <= 21)
        {
            // Point inside the digits.
            s[..n].CopyTo(dst[w..]);
            w += n;
            dst[w++] = '.';
            s[n..].CopyTo(dst[w..]);
            w += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            // "0." then −n zeros then the digits.
            dst[w++] = '0';
            dst[w++] = '.';
            dst.Slice(w, -n).Fill('0');
            w += -n;
            s.CopyTo(dst[w..]);
            w += k;
        }
        else
        {
            // Exponential: d[.ddd]e±x
            dst[w++] = s[0];
            if (k > 1)
            {
                dst[w++] = '.';
                s[1..].CopyTo(dst[w..]);
                w += k - 1;
            }

            dst[w++] = 'e';
            int e = n - 1;
            dst[w++] = e < 0 ? '-' : '+';
            e = Math.Abs(e);
            if (e >= 100)
            {
                dst[w++] = (char)('0' + (e / 100));
                e %= 100;
                dst[w++] = (char)('0' + (e / 10));
            }
            else if (e >= 10)
            {
                dst[w++] = (char)('0' + (e / 10));
            }

            dst[w++] = (char)('0' + (e % 10));
        }

        return w;
    }

    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException($"The destination must hold at least {MaxLength} units.", "destination");

    // ------------------------------------------------------------------------------------------
    // JSON number literals
    // ------------------------------------------------------------------------------------------

    /// <summary>
    /// The double <c>JSON.parse</c> gives for a valid JSON number literal: correctly rounded,
    /// overflow to ±Infinity (<c>1e309</c>), underflow to ±0, <c>-0</c> → −0.
    /// The literal must be valid JSON (as delivered by a JSON reader); other input may be accepted
    /// or may throw <see cref="FormatException"/>.
    /// </summary>
    public static double ParseJsonNumber(ReadOnlySpan<byte> utf8Literal)
    {
        bool negative = utf8Literal.Length > 0 && utf8Literal[0] == (byte)'-';
        if (TryParseDecimalFast(negative ? utf8Literal[1..] : utf8Literal, out double value))
        {
            return negative ? -value : value;
        }

        return double.Parse(utf8Literal, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A cheap syntactic check: true only when the literal is exactly what
    /// <c>JSON.stringify(JSON.parse(literal))</c> prints, so it can be copied verbatim.
    /// It may say false for some canonical literals (e.g. <c>1e+21</c>, 16–17 digit numbers),
    /// never true for a non-canonical one.
    /// </summary>
    /// <remarks>
    /// Accepted: optional <c>-</c>; then <c>0</c> alone (not <c>-0</c>), or <c>0.</c> followed by at
    /// most five zeros and then digits, or a non-zero digit followed by digits with an optional
    /// fraction; the fraction must not end in <c>0</c>; no exponent; at most 15 significant digits.
    /// Why it is sound: any two distinct decimals of at most 15 significant digits map to distinct
    /// doubles (DBL_DIG = 15), so the shortest round-trip digits of the parsed double are the literal's
    /// own digits; the magnitude lies in [1e-6, 1e15), where ECMAScript prints plain decimal notation,
    /// and the literal has no redundant zeros.
    /// </remarks>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8Literal)
    {
        ReadOnlySpan<byte> s = utf8Literal;
        int length = s.Length;
        int i = 0;
        bool negative = false;
        if (length > 0 && s[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        if (i >= length)
        {
            return false;
        }

        if (s[i] == (byte)'0')
        {
            i++;
            if (i == length)
            {
                return !negative; // "0" yes; "-0" prints "0".
            }

            if (s[i] != (byte)'.')
            {
                return false;
            }

            i++;
            int zeros = 0;
            while (i < length && s[i] == (byte)'0')
            {
                zeros++;
                i++;
            }

            if (zeros > 5)
            {
                return false; // 0.0000001 prints 1e-7.
            }

            int significantStart = i;
            while (i < length && IsAsciiDigit(s[i]))
            {
                i++;
            }

            int significant = i - significantStart;
            return i == length && significant > 0 && significant <= 15 && s[length - 1] != (byte)'0';
        }

        if (s[i] < (byte)'1' || s[i] > (byte)'9')
        {
            return false;
        }

        int integerStart = i;
        while (i < length && IsAsciiDigit(s[i]))
        {
            i++;
        }

        int integerDigits = i - integerStart;
        if (i == length)
        {
            return integerDigits <= 15;
        }

        if (s[i] != (byte)'.')
        {
            return false;
        }

        i++;
        int fractionStart = i;
        while (i < length && IsAsciiDigit(s[i]))
        {
            i++;
        }

        int fractionDigits = i - fractionStart;
        return i == length
            && fractionDigits > 0
            && s[length - 1] != (byte)'0'
            && integerDigits + fractionDigits <= 15;
    }

    // ------------------------------------------------------------------------------------------
    // Number(string)
    // ------------------------------------------------------------------------------------------

    /// <summary>
    /// JavaScript <c>Number(string)</c> (ECMAScript StringToNumber): trims ECMAScript white space;
    /// empty → 0; a decimal literal with optional sign, fraction (<c>.5</c>, <c>5.</c>) and exponent;
    /// <c>Infinity</c> with optional sign (case-sensitive); unsigned <c>0x</c>/<c>0o</c>/<c>0b</c>
    /// integers (exact value rounded to the nearest double, ties to even); anything else → NaN.
    /// Numeric separators, <c>n</c> suffixes and non-ASCII digits are not accepted.
    /// </summary>
    public static double StringToNumber(ReadOnlySpan<char> s)
    {
        s = JsWhitespace.Trim(s);
        if (s.IsEmpty)
        {
            return 0;
        }

        if (s.Length > 2 && s[0] == '0')
        {
            switch (s[1])
            {
                case 'x' or 'X':
                    return ParsePowerOfTwoRadix(s[2..], 4);
                case 'o' or 'O':
                    return ParsePowerOfTwoRadix(s[2..], 3);
                case 'b' or 'B':
                    return ParsePowerOfTwoRadix(s[2..], 1);
            }
        }

        bool negative = false;
        ReadOnlySpan<char> body = s;
        if (s[0] == '-' || s[0] == '+')
        {
            negative = s[0] == '-';
            body = s[1..];
        }

        if (body.SequenceEqual("Infinity"))
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (!IsStrUnsignedDecimalLiteral(body))
        {
            return double.NaN;
        }

        if (!TryParseDecimalFast(body, out double value))
        {
            value = double.Parse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        }

        return negative ? -value : value;
    }

    // StrUnsignedDecimalLiteral without "Infinity":
    //   DecimalDigits [. [DecimalDigits]] [ExponentPart] | . DecimalDigits [ExponentPart]
    private static bool IsStrUnsignedDecimalLiteral(ReadOnlySpan<char> s)
    {
        int i = 0;
        int length = s.Length;
        int mantissaDigits = 0;
        while (i < length && char.IsAsciiDigit(s[i]))
        {
            i++;
            mantissaDigits++;
        }

        if (i < length && s[i] == '.')
        {
            i++;
            while (i < length && char.IsAsciiDigit(s[i]))
            {
                i++;
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            int exponentDigits = 0;
            while (i < length && char.IsAsciiDigit(s[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == length;
    }

    // Exact integer value of the digits in radix 2^bitsPerDigit, rounded to the nearest double
    // (ties to even), as ECMAScript's MV → Number rounding requires.
    private static double ParsePowerOfTwoRadix(ReadOnlySpan<char> digits, int bitsPerDigit)
    {
        int radix = 1 << bitsPerDigit;
        ulong mantissa = 0;    // the leading (up to) 64 significant bits
        int significantBits = 0;
        long droppedBits = 0;  // bits after the first 64 significant ones
        bool sticky = false;   // any 1 among the dropped bits
        foreach (char c in digits)
        {
            int d = HexDigitValue(c);
            if ((uint)d >= (uint)radix)
            {
                return double.NaN;
            }

            for (int b = bitsPerDigit - 1; b >= 0; b--)
            {
                uint bit = (uint)(d >> b) & 1;
                if (significantBits < 64)
                {
                    if (significantBits == 0 && bit == 0)
                    {
                        continue;
                    }

                    mantissa = (mantissa << 1) | bit;
                    significantBits++;
                }
                else
                {
                    droppedBits++;
                    sticky |= bit != 0;
                }
            }
        }

        if (significantBits <= 53)
        {
            return mantissa; // exact
        }

        int shift = significantBits - 53;
        ulong kept = mantissa >> shift;
        ulong rest = mantissa & ((1UL << shift) - 1);
        ulong half = 1UL << (shift - 1);
        if (rest > half || (rest == half && (sticky || (kept & 1) != 0)))
        {
            kept++; // may become 2^53: still exact
        }

        long binaryExponent = shift + droppedBits;
        if (binaryExponent > 1100)
        {
            return double.PositiveInfinity;
        }

        return Math.ScaleB(kept, (int)binaryExponent);
    }

    private static int HexDigitValue(char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    // ------------------------------------------------------------------------------------------
    // Shared decimal fast path (Clinger): an unsigned literal DecimalDigits [. DecimalDigits]
    // [e[±]digits] whose significant digits form an integer m <= 2^53 and whose decimal exponent e
    // is within ±22 is m × 10^e or m / 10^−e: both operands are exact doubles, so the single IEEE
    // operation is correctly rounded. Anything else returns false and the caller falls back to
    // double.Parse (correctly rounded for any length on .NET Core 3.0+).
    // ------------------------------------------------------------------------------------------

    private static bool TryParseDecimalFast<T>(ReadOnlySpan<T> s, out double value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        int length = s.Length;
        int i = 0;
        ulong mantissa = 0;
        int significantDigits = 0;
        int fractionDigits = 0;
        bool anyDigit = false;

        for (; i < length; i++)
        {
            uint d = uint.CreateTruncating(s[i]) - '0';
            if (d > 9)
            {
                break;
            }

            anyDigit = true;
            if (mantissa != 0 || d != 0)
            {
                if (++significantDigits > 19)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + d;
            }
        }

        if (i < length && uint.CreateTruncating(s[i]) == '.')
        {
            for (i++; i < length; i++)
            {
                uint d = uint.CreateTruncating(s[i]) - '0';
                if (d > 9)
                {
                    break;
                }

                anyDigit = true;
                fractionDigits++;
                if (mantissa != 0 || d != 0)
                {
                    if (++significantDigits > 19)
                    {
                        return false;
                    }

                    mantissa = (mantissa * 10) + d;
                }
            }
        }

        if (!anyDigit)
        {
            return false;
        }

        int exponent = 0;
        if (i < length && (uint.CreateTruncating(s[i]) | 0x20) == 'e')
        {
            i++;
            bool negativeExponent = false;
            if (i < length)
            {
                uint sign = uint.CreateTruncating(s[i]);
                if (sign == '+' || sign == '-')
                {
                    negativeExponent = sign == '-';
                    i++;
                }
            }

            int exponentDigits = 0;
            for (; i < length; i++)
            {
                uint d = uint.CreateTruncating(s[i]) - '0';
                if (d > 9)
                {
                    break;
                }

                if (++exponentDigits > 4)
                {
                    return false;
                }

                exponent = (exponent * 10) + (int)d;
            }

            if (exponentDigits == 0)
            {
                return false;
            }

            if (negativeExponent)
            {
                exponent = -exponent;
            }
        }

        if (i != length)
        {
            return false;
        }

        if (mantissa == 0)
        {
            return true; // 0 × 10^anything
        }

        if (mantissa > (1UL << 53))
        {
            return false;
        }

        int scale = exponent - fractionDigits;
        if (scale < -22 || scale > 22)
        {
            return false;
        }

        value = scale >= 0 ? mantissa * ExactPowersOfTen[scale] : mantissa / ExactPowersOfTen[-scale];
        return true;
    }

    private static bool IsAsciiDigit(byte b) => (uint)(b - '0') <= 9;
}
