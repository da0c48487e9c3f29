using System.Text.Encodings.Web;

namespace Mappings.Runtime.Json;

/// <summary>
/// An encoder that never escapes. Every string and property name handed to our
/// <see cref="System.Text.Json.Utf8JsonWriter"/> is already escaped the way <c>JSON.stringify</c>
/// escapes (see <see cref="Wtf8.Escape"/>), which no built-in encoder reproduces: they escape
/// non-ASCII, <c>&lt;</c>, <c>&amp;</c>, U+2028 … and reject lone surrogates.
/// </summary>
public sealed class PreEscapedEncoder : JavaScriptEncoder
{
    public static readonly PreEscapedEncoder Instance = new();

    private PreEscapedEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 1;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) => -1;

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text) => -1;

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        numberOfCharactersWritten = 0;
        return false;
    }

    public override bool WillEncode(int unicodeScalar) => false;
}
