using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing.Jsonc;

/// <summary>
/// A JSON value read from a mapping file, with the span of text it came from. Transient: used
/// while parsing a file, never kept in the generator's model.
/// </summary>
internal abstract class JNode
{
    protected JNode(TextSpan span) => Span = span;

    public TextSpan Span { get; }

    /// <summary>The JSON type as a word for messages: "an object", "a string", …</summary>
    public abstract string Kind { get; }
}

internal sealed class JObject : JNode
{
    public JObject(TextSpan span, IReadOnlyList<JProperty> properties)
        : base(span) => Properties = properties;

    public IReadOnlyList<JProperty> Properties { get; }

    public override string Kind => "an object";

    public JProperty? Find(string name)
    {
        foreach (JProperty p in Properties)
        {
            if (p.Name == name)
            {
                return p;
            }
        }

        return null;
    }
}

internal sealed class JProperty
{
    public JProperty(string name, TextSpan nameSpan, JNode value)
    {
        Name = name;
        NameSpan = nameSpan;
        Value = value;
    }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public JNode Value { get; }
}

internal sealed class JArray : JNode
{
    public JArray(TextSpan span, IReadOnlyList<JNode> items)
        : base(span) => Items = items;

    public IReadOnlyList<JNode> Items { get; }

    public override string Kind => "an array";
}

internal sealed class JString : JNode
{
    public JString(TextSpan span, string value)
        : base(span) => Value = value;

    public string Value { get; }

    public override string Kind => "a string";
}

internal sealed class JNumber : JNode
{
    public JNumber(TextSpan span, string text, double value)
        : base(span)
    {
        Text = text;
        Value = value;
    }

    /// <summary>The literal as written.</summary>
    public string Text { get; }

    public double Value { get; }

    public override string Kind => "a number";
}

internal sealed class JBoolean : JNode
{
    public JBoolean(TextSpan span, bool value)
        : base(span) => Value = value;

    public bool Value { get; }

    public override string Kind => Value ? "true" : "false";
}

internal sealed class JNull : JNode
{
    public JNull(TextSpan span)
        : base(span)
    {
    }

    public override string Kind => "null";
}
