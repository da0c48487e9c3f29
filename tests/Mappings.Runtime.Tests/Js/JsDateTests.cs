using System.Globalization;
using System.Text;
using System.Text.Json;
using Mappings.Runtime.Js;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Js;

/// <summary>
/// <see cref="JsDate"/> against <c>shared/spec/dates.md</c> and every row of
/// <c>shared/spec/dates.jsonl</c> (Node 20 <c>Date.parse</c> with <c>TZ=UTC</c>).
/// </summary>
public class JsDateTests
{
    /// <summary>Row count stated by dates.md; guards against a truncated or misread file.</summary>
    private const int ExpectedRowCount = 4_967;

    public static TheoryData<int, string, string> VectorRows()
    {
        var data = new TheoryData<int, string, string>();
        foreach (DateVector row in DateVectors.Rows)
        {
            // Only ASCII goes into the test name: the input as escaped in the JSON file.
            data.Add(row.Line, row.Group, row.EscapedText);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorRows))]
    public void MatchesNode(int line, string group, string escapedText)
    {
        DateVector row = DateVectors.Rows[line - 1];
        Assert.Equal(line, row.Line);

        bool parsed = JsDate.TryParse(row.Text, out long ms);
        bool parsedUnix = JsDate.TryParseUnixSeconds(row.Text, out long unix);
        long? actualMs = parsed ? ms : null;
        long? actualUnix = parsedUnix ? unix : null;

        if (actualMs != row.Ms || actualUnix != row.Unix)
        {
            Assert.Fail(
                $"dates.jsonl line {line} [{group}] Date.parse(\"{escapedText}\"): " +
                $"expected ms={Show(row.Ms)} unix={Show(row.Unix)}, " +
                $"got ms={Show(actualMs)} unix={Show(actualUnix)}");
        }
    }

    [Fact]
    public void VectorFileIsComplete()
    {
        Assert.Equal(ExpectedRowCount, DateVectors.Rows.Count);
        Assert.Contains(DateVectors.Rows, row => row.Group == "tostring");
        Assert.Contains(DateVectors.Rows, row => row.Text.Contains('\0', StringComparison.Ordinal));
        Assert.Contains(DateVectors.Rows, row => row.Text.Contains('\ud800', StringComparison.Ordinal)); // lone surrogate
    }

    /// <summary>Examples from dates.md §8–§10, as documentation (expected Unix seconds; null = NaN).</summary>
    [Theory]
    // §8 ISO family.
    [InlineData("2021-03-10T11:59:22.080+05:30", 1615357762L)]
    [InlineData("2019-10-14t09:03:17z", 1571043797L)]
    [InlineData("2019-10-14T24:00:00Z", 1571097600L)]
    [InlineData("2019-10-14T24:00:01", null)]
    [InlineData("2019-02-31", 1551571200L)]
    [InlineData("2019-10-14T10:00:00Z ", null)]
    [InlineData("20191014", null)]
    [InlineData("+275760-09-13T00:00:00.000Z", 8_640_000_000_000L)]
    [InlineData("+275760-09-13T00:00:00.001Z", null)]
    [InlineData("-271821-04-19T23:00:00.000-01:00", -8_640_000_000_000L)]
    [InlineData("1969-12-31T23:59:59.500Z", -1L)]
    // §8 ISO start, legacy finish; legacy forms.
    [InlineData("2019-10-14 09:03:17", 1571043797L)]
    [InlineData("0010-01-01 10:00", 1001930400L)]
    [InlineData("-000000-01-01", 978307200L)]
    [InlineData("10/14/2019", 1571011200L)]
    [InlineData("14/10/2019", null)]
    [InlineData("Oct 14 2019 Nov", 1573689600L)]
    [InlineData("10/14/2019 Oct", 1412899200L)]
    [InlineData("10/14/2019 10:30pm", null)]
    [InlineData("10/14/2019 10:30 pm", 1571092200L)]
    [InlineData("14 Oct 2019 10:00 GMT+0599", 1571023260L)]
    [InlineData("Thu Jan 01 1970 00:00:00 GMT-0800 (Pacific Standard Time)", 28800L)]
    [InlineData("(10/14/2019)", null)]
    [InlineData("hello world 10/14/2019", 1571011200L)]
    // §6.3 / §10.11: the legacy offset sum wraps in unsigned 32-bit arithmetic.
    [InlineData("14 Oct 2019 10:00 +596523:00", -576435600L)]
    [InlineData("14 Oct 2019 10:00 +596524:00", null)]
    [InlineData("14 Oct 2019 10:00 +1193047:00", 1571045296L)]
    // §9 lone numbers.
    [InlineData("0", 946684800L)]
    [InlineData("-0", 946684800L)]
    [InlineData("1", 978307200L)]
    [InlineData("13", null)]
    [InlineData("32", 1956528000L)]
    [InlineData("0.0", null)]
    [InlineData("1e3", null)]
    [InlineData("", null)]
    [InlineData(" ", null)]
    public void DocumentedExamples(string text, long? expectedUnixSeconds)
    {
        bool parsed = JsDate.TryParseUnixSeconds(text, out long seconds);
        Assert.Equal(expectedUnixSeconds, parsed ? seconds : null);
    }

    [Fact]
    public void FractionsTruncateWithTheLeadingZeroQuirk()
    {
        // §4.4: ".0001234567" is 1 ms (value 1234567, digit count capped at 9).
        Assert.True(JsDate.TryParse("2019-10-14T10:00:00.0001234567Z", out long ms));
        Assert.Equal(1571047200001L, ms);
        Assert.True(JsDate.TryParse("2019-10-14T10:00:00.9999Z", out ms));
        Assert.Equal(1571047200999L, ms);
    }

    [Fact]
    public void NulEndsTheInput()
    {
        // §2, §10.14: everything after U+0000 is ignored.
        Assert.True(JsDate.TryParseUnixSeconds("10/14\u0000/2019", out long seconds));
        Assert.Equal(1003017600L, seconds); // 2001-10-14
        Assert.True(JsDate.TryParseUnixSeconds("2019-10-14\u0000garbage", out seconds));
        Assert.Equal(1571011200L, seconds);
    }

    [Fact]
    public void CharacterClassesAreTheSpecsNotDotNets()
    {
        // §2, §10.15–16: U+FEFF and U+3000 are spaces; U+2028 is a word char; full-width digits are words.
        Assert.True(JsDate.TryParseUnixSeconds("\ufeff10/14/2019\u3000", out long seconds));
        Assert.Equal(1571011200L, seconds);
        Assert.False(JsDate.TryParse("1\u2028", out _));
        Assert.True(JsDate.TryParseUnixSeconds("\uff12\uff10\uff11\uff19-10-14", out seconds));
        Assert.Equal(1003017600L, seconds); // 2001-10-14
        Assert.False(JsDate.TryParse("2019-\uff11\uff10-14", out _));
    }

    [Fact]
    public void UnixSecondsFloorTowardNegativeInfinity()
    {
        Assert.True(JsDate.TryParse("1969-12-31T23:59:59.001Z", out long ms));
        Assert.Equal(-999L, ms);
        Assert.True(JsDate.TryParseUnixSeconds("1969-12-31T23:59:59.001Z", out long seconds));
        Assert.Equal(-1L, seconds);
        Assert.True(JsDate.TryParseUnixSeconds("1969-12-31T23:59:59.000Z", out seconds));
        Assert.Equal(-1L, seconds);
        Assert.True(JsDate.TryParseUnixSeconds("-000001-01-01T00:00:00Z", out seconds));
        Assert.Equal(-62198755200L, seconds);
    }

    [Fact]
    public void ParsingDoesNotAllocate()
    {
        string[] inputs =
        [
            "2021-03-10T11:59:22.080+05:30",
            "2019-10-14 09:03:17 +0200",
            "+002019-10-14",
            "-271821-04-19T23:00:00.000-01:00",
            "10/14/2019 10:00:00.5",
            "Wed, 10 Mar 2021 11:59:22 GMT",
            "Monday, October 14, 2019",
            "Thu Jan 01 1970 00:00:00 GMT-0800 (Pacific Standard Time)",
            "14 Oct 2019 10:00 GMT+5:30",
            "14 Oct 2019 10:00 +1193047:00",
            "10:00 PM 10/14/2019",
            "10/14/2019 (unclosed 10:00",
            "hello world 10/14/2019",
            "10/14\u0000/2019",
            "\ufeff\u3000 1 2 3",
            "\ud83d\ude00 Oct 14 2019",
            "0000000002019",
            "0",
            "1e3",
            "",
        ];

        long checksum = 0;
        long allocated = Allocations.Minimum(() => checksum += ParseAll(inputs, rounds: 1), warmup: 10, iterations: 1_000);

        Assert.NotEqual(0L, checksum);
        Assert.Equal(0L, allocated);
    }

    private static long ParseAll(string[] inputs, int rounds)
    {
        long checksum = 0;
        for (int round = 0; round < rounds; round++)
        {
            foreach (string input in inputs)
            {
                if (JsDate.TryParse(input, out long ms))
                {
                    checksum ^= ms;
                }

                if (JsDate.TryParseUnixSeconds(input, out long seconds))
                {
                    checksum += seconds;
                }
            }
        }

        return checksum;
    }

    private static string Show(long? value) =>
        value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NaN";

    /// <summary>One row of dates.jsonl (§13).</summary>
    /// <param name="Line">1-based line number in the file.</param>
    /// <param name="Group">The row's group.</param>
    /// <param name="Text">The string given to <c>Date.parse</c>: <c>input</c>, or <c>from</c> for <c>tostring</c> rows.</param>
    /// <param name="EscapedText">The same string as escaped in the file (ASCII, for messages and test names).</param>
    /// <param name="Ms">Expected <c>Date.parse</c> result; null is NaN.</param>
    /// <param name="Unix">Expected <c>Math.floor(ms / 1000)</c>; null is NaN.</param>
    private sealed record DateVector(int Line, string Group, string Text, string EscapedText, long? Ms, long? Unix);

    /// <summary>Loads shared/spec/dates.jsonl once per test run.</summary>
    private static class DateVectors
    {
        private static readonly Lazy<IReadOnlyList<DateVector>> LazyRows = new(Load);

        public static IReadOnlyList<DateVector> Rows => LazyRows.Value;

        /// <summary>
        /// Walks up from the test binaries to the first ancestor that holds
        /// <c>shared/spec/dates.jsonl</c>: the <c>shared</c> folder beside the repository
        /// (repo at X/main, vectors at X/shared), locally and in CI.
        /// </summary>
        private static string FindFile()
        {
            string relative = Path.Combine("shared", "spec", "dates.jsonl");
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException(
                $"No ancestor of '{AppContext.BaseDirectory}' contains '{relative}'.");
        }

        private static List<DateVector> Load()
        {
            string path = FindFile();
            var rows = new List<DateVector>();
            int line = 0;
            foreach (string json in File.ReadLines(path))
            {
                line++;
                if (json.Length == 0)
                {
                    continue;
                }

                rows.Add(ParseRow(line, json));
            }

            return rows;
        }

        private static DateVector ParseRow(int line, string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            string group = root.GetProperty("group").GetString()!;

            // Parse "from" for tostring rows (§13). JsonElement.GetString() throws on lone
            // surrogates such as "\ud800", which are significant here, so the string token's
            // raw JSON text is unescaped by hand instead.
            JsonElement textElement = root.GetProperty(group == "tostring" ? "from" : "input");
            string raw = textElement.GetRawText();
            string escaped = raw[1..^1];

            return new DateVector(
                line,
                group,
                UnescapeJsonString(escaped),
                escaped,
                GetNullableInt64(root.GetProperty("ms")),
                GetNullableInt64(root.GetProperty("unix")));
        }

        private static long? GetNullableInt64(JsonElement element) =>
            element.ValueKind == JsonValueKind.Null ? null : element.GetInt64();

        /// <summary>Decodes JSON escapes code unit by code unit, keeping lone surrogates.</summary>
        private static string UnescapeJsonString(string escaped)
        {
            var builder = new StringBuilder(escaped.Length);
            for (int i = 0; i < escaped.Length; i++)
            {
                char c = escaped[i];
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                char kind = escaped[++i];
                switch (kind)
                {
                    case 'u':
                        builder.Append((char)int.Parse(escaped.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    default: builder.Append(kind); break; // \" \\ \/
                }
            }

            return builder.ToString();
        }
    }
}
