using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Mappings.Generators.Emitting;

/// <summary>How generated code names things after what they hold: words of keys, paths and texts.</summary>
internal static class Names
{
    /// <summary>The words of a text: runs of ASCII letters and digits, split where a lower-case letter meets an upper-case one.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool alnum = c < 128 && char.IsLetterOrDigit(c);
            if (!alnum || (word.Length > 0 && char.IsUpper(c) && char.IsLower(word[word.Length - 1])))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }

            if (alnum)
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary><c>"customer type"</c> → <c>CustomerType</c>, <c>"first_name"</c> → <c>FirstName</c> (at most <paramref name="maxWords"/> words).</summary>
    public static string Pascal(string text, int maxWords = int.MaxValue)
    {
        var builder = new StringBuilder();
        int count = 0;
        foreach (string word in Words(text))
        {
            if (count++ == maxWords)
            {
                break;
            }

            builder.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }

        return builder.ToString();
    }

    /// <summary><c>"Customer Type"</c> → <c>customerType</c>, <c>"DOB"</c> → <c>dob</c>, <c>"profileData"</c> → <c>profileData</c>.</summary>
    public static string Camel(string text)
    {
        var builder = new StringBuilder();
        foreach (string word in Words(text))
        {
            if (builder.Length == 0)
            {
                bool allUpper = true;
                foreach (char c in word)
                {
                    allUpper &= !char.IsLower(c);
                }

                builder.Append(allUpper ? word.ToLowerInvariant() : char.ToLowerInvariant(word[0]) + word.Substring(1));
            }
            else
            {
                builder.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            }
        }

        return builder.ToString();
    }

    /// <summary>A valid C# identifier from <paramref name="name"/>, or <paramref name="fallback"/>; keywords get an <c>@</c>.</summary>
    public static string Identifier(string name, string fallback)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            name = fallback + name;
        }

        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.VarKeyword
            ? "@" + name
            : name;
    }

    /// <summary>
    /// A field of a binding struct named exactly like the property it holds (<c>traits.email</c>),
    /// when that is an identifier; otherwise its words.
    /// </summary>
    public static string Field(string property)
    {
        bool identifier = property.Length > 0 && (char.IsLetter(property[0]) || property[0] == '_');
        foreach (char c in property)
        {
            identifier &= c < 128 && (char.IsLetterOrDigit(c) || c == '_');
        }

        return identifier ? Identifier(property, "_") : Identifier(Camel(property), "_");
    }

    /// <summary>A number as a C# <c>double</c> literal.</summary>
    public static string NumberLiteral(double d)
    {
        if (double.IsPositiveInfinity(d))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(d))
        {
            return "double.NegativeInfinity";
        }

        return d.ToString("R", CultureInfo.InvariantCulture) + "d";
    }
}

/// <summary>
/// The names of a generated class's members: each is what its holder prefers, made unique with a
/// number when another member already took it. Asking again for the same thing gives the same name.
/// </summary>
internal sealed class MemberNames
{
    private readonly Dictionary<string, string> _byIdentity = new();
    private readonly HashSet<string> _taken = new();

    public MemberNames(params string[] reserved)
    {
        foreach (string name in reserved)
        {
            _taken.Add(name);
        }
    }

    /// <summary>The name of the member that holds <paramref name="identity"/>; true when it is new.</summary>
    public bool Claim(string identity, string preferred, out string name)
    {
        if (_byIdentity.TryGetValue(identity, out name!))
        {
            return false;
        }

        string stem = Names.Identifier(preferred.Length == 0 ? "Value" : preferred, "_");
        name = stem;
        for (int n = 2; !_taken.Add(name); n++)
        {
            name = stem + n.ToString(CultureInfo.InvariantCulture);
        }

        _byIdentity[identity] = name;
        return true;
    }
}

/// <summary>
/// The local variables of a generated method, by block. C# refuses a local whose name a local of an
/// enclosing block, or of a block nested in its own, already has; sibling blocks may reuse names.
/// So each field's block can call its value after the field (<c>email</c>), and a name is numbered
/// only where it would clash.
/// </summary>
internal sealed class Locals
{
    private sealed class Block
    {
        public Block(Block? parent) => Parent = parent;

        public Block? Parent { get; }

        /// <summary>Names declared in this block.</summary>
        public HashSet<string> Own { get; } = new();

        /// <summary>Names declared in this block or in any block nested in it.</summary>
        public HashSet<string> Within { get; } = new();
    }

    private Block _current = new(null);

    /// <param name="reserved">The method's parameters and fixed locals.</param>
    public Locals(params string[] reserved)
    {
        foreach (string name in reserved)
        {
            _current.Own.Add(name);
            _current.Within.Add(name);
        }
    }

    /// <summary>Declares a local in the current block, named after <paramref name="preferred"/>.</summary>
    public string Declare(string preferred)
    {
        string stem = Names.Identifier(preferred.Length == 0 ? "value" : preferred, "value");
        string name = stem;
        for (int n = 2; Clashes(name); n++)
        {
            name = stem + n.ToString(CultureInfo.InvariantCulture);
        }

        for (Block? b = _current; b is not null; b = b.Parent)
        {
            b.Within.Add(name);
        }

        _current.Own.Add(name);
        return name;
    }

    private bool Clashes(string name)
    {
        if (_current.Within.Contains(name))
        {
            return true;
        }

        for (Block? b = _current.Parent; b is not null; b = b.Parent)
        {
            if (b.Own.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Opens a block (<c>{</c> in the template).</summary>
    public void Open() => _current = new Block(_current);

    /// <summary>Closes the current block.</summary>
    public void Close() => _current = _current.Parent!;
}
