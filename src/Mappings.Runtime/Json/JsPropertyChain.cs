using System.Text;

namespace Mappings.Runtime.Json;

/// <summary>
/// Property names read one after the other, JavaScript's <c>value?.a?.b?.c</c>, known when the
/// program is compiled (<c>$message.traits.overrideFields</c> in a mapping file is
/// <c>message.traits?.overrideFields</c>). The text is split at every '.', once: unlike a
/// <see cref="JsPath"/> (get-value), a name is never joined with the next, a backslash escapes
/// nothing and a literal dotted key is never tried. <c>Lookup.Properties</c> reads it.
/// </summary>
public sealed class JsPropertyChain
{
    private JsPropertyChain(string text)
    {
        Text = text;
        string[] names = text.Split('.');
        Names = new byte[names.Length][];
        Tags = new uint[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            Names[i] = Encoding.UTF8.GetBytes(names[i]);
            Tags[i] = JsKeys.Tag(Names[i]);
        }
    }

    /// <summary>The names as written, joined with '.'.</summary>
    public string Text { get; }

    /// <summary>The UTF-8 bytes of each name.</summary>
    internal byte[][] Names { get; }

    /// <summary>The key tag of each name (see <see cref="JsKeys.Tag"/>).</summary>
    internal uint[] Tags { get; }

    /// <summary>The chain of the names in <paramref name="text"/> (split at every '.'). Call from static initialisers, not per event.</summary>
    public static JsPropertyChain Of(string text) => new(text);

    public override string ToString() => Text;
}
