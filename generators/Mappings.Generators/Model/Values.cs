using Mappings.Generators.Helpers;

namespace Mappings.Generators.Model;

// The model holds only strings, numbers, enums, small records and EquatableArray — never a
// symbol, syntax node, location or compilation (a test walks it by reflection) — so an unchanged
// mapping file yields an equal model and nothing downstream re-runs. Constants are kept as
// values (JsonConst): the emitter never reads JSON text.

/// <summary>Where a path starts.</summary>
internal enum PathRoot
{
    /// <summary><c>traits.email</c>: the message, with get-value path semantics.</summary>
    Message,
    /// <summary>
    /// <c>$message.traits.overrideFields</c>: the message, then plain property access (JavaScript's
    /// <c>message.traits?.overrideFields</c>: no whole-path key, no joined retries).
    /// </summary>
    DirectMessage,
    /// <summary><c>$config.region</c>: the destination's Config, then property access.</summary>
    Config,
    /// <summary><c>$userId</c>, <c>$integration.deviceTokenType</c>: a named value, then property access.</summary>
    Let,
    /// <summary><c>{"field": "Name"}</c>: a key already written to the object being built.</summary>
    Field,
}

/// <summary>A path to a value: a message path, or a named root followed by property names.</summary>
/// <param name="Root">Where it starts.</param>
/// <param name="Name">The let's name (<see cref="PathRoot.Let"/>) or the field's key (<see cref="PathRoot.Field"/>); empty otherwise.</param>
/// <param name="Path">The message path, or the dot-separated property names after the root (may be empty).</param>
/// <remarks>Fallback lists and custom-field sources hold message paths only: <see cref="PathRoot.Message"/> or <see cref="PathRoot.DirectMessage"/>.</remarks>
internal sealed record ValuePath(PathRoot Root, string Name, string Path)
{
    /// <summary>The path as written in a mapping file (used in messages).</summary>
    public string Text => Root switch
    {
        PathRoot.Message => Path,
        PathRoot.DirectMessage => Path.Length == 0 ? "$message" : "$message." + Path,
        PathRoot.Config => Path.Length == 0 ? "$config" : "$config." + Path,
        PathRoot.Let => Path.Length == 0 ? "$" + Name : "$" + Name + "." + Path,
        _ => "field " + Name,
    };
}

/// <summary>The JSON type of a constant.</summary>
internal enum ConstKind
{
    String,
    Number,
    True,
    False,
    Null,
    Object,
    Array,
}

/// <summary>
/// A JSON constant of a mapping file (<c>"const"</c>, <c>default</c>, <c>otherwise</c>, a value map,
/// the constants of <c>equals</c> and <c>in</c>), as a value: <paramref name="String"/> for a
/// string, <paramref name="Number"/> for a number; <paramref name="Json"/> is the compact JSON text
/// (what an object or array constant is built from, and how any constant is shown).
/// </summary>
internal sealed record JsonConst(ConstKind Kind, string String, double Number, string Json)
{
    /// <summary>JavaScript truthiness: not <c>""</c>, <c>0</c>, <c>false</c>, <c>null</c> (NaN cannot be written in JSON).</summary>
    public bool IsTruthy => Kind switch
    {
        ConstKind.String => String.Length > 0,
        ConstKind.Number => Number != 0,
        ConstKind.False or ConstKind.Null => false,
        _ => true,
    };

    /// <summary>V-valid (spec §6.2): not <c>null</c> or <c>""</c>.</summary>
    public bool IsVValid => Kind switch
    {
        ConstKind.String => String.Length > 0,
        ConstKind.Null => false,
        _ => true,
    };

    /// <summary><c>{}</c> or <c>[]</c>.</summary>
    public bool IsEmptyContainer => Json is "{}" or "[]";

    /// <summary>A lower-case ASCII string: the only constants a lower-cased value can equal.</summary>
    public bool IsLowerCaseAsciiString
    {
        get
        {
            if (Kind != ConstKind.String)
            {
                return false;
            }

            foreach (char c in String)
            {
                if (c >= 128 || (c >= 'A' && c <= 'Z'))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>A value a mapping computes.</summary>
internal abstract record ValueExpr;

/// <summary><c>"path": "a.b"</c> — one path, its raw value (may be undefined).</summary>
internal sealed record PathValue(ValuePath Path) : ValueExpr;

/// <summary>
/// <c>"paths": [...]</c> or <c>"@list"</c> — the first V-valid value of the message paths, null when
/// none. <paramref name="ListName"/>: the path list written (<c>@name</c>), if any; the resolver fills in its <paramref name="Paths"/>.
/// </summary>
internal sealed record FirstValidValue(EquatableArray<ValuePath> Paths, string? ListName) : ValueExpr
{
    /// <summary>Where the path list is defined (filled in by the resolver with its paths).</summary>
    public EntrySource? ListSource { get; init; }
}

/// <summary><c>"firstTruthy": [...]</c> — the first truthy value of the message paths, else the value of the last one.</summary>
internal sealed record FirstTruthyValue(EquatableArray<ValuePath> Paths) : ValueExpr;

/// <summary><c>"const": …</c> — a JSON constant.</summary>
internal sealed record ConstValue(JsonConst Value) : ValueExpr;

/// <summary><c>"lower": "path"</c> — a value compared lower-cased; a truthy non-string fails the event.</summary>
internal sealed record LowerValue(ValuePath Path) : ValueExpr;

/// <summary>One part of a template: literal text or a value's name.</summary>
internal sealed record TemplatePart(string? Literal, string? ValueName);

/// <summary>A named value of a template.</summary>
internal sealed record NamedValue(string Name, ValueExpr Value);

/// <summary>
/// <c>"template": "Web Page Viewed: {{value}}"</c> with its <c>values</c>: when every value is
/// present (V-valid, or truthy with <c>require: truthy</c>) the text with each value converted
/// to a string (HTML-escaped when asked), trimmed when asked; otherwise <paramref name="Otherwise"/>
/// (or nothing).
/// </summary>
internal sealed record TemplateValue(
    EquatableArray<TemplatePart> Parts,
    EquatableArray<NamedValue> Values,
    bool HtmlEscape,
    bool Trim,
    bool RequireTruthy,
    JsonConst? Otherwise) : ValueExpr;

/// <summary><c>"object": {...}</c> — a new object built by its own fields.</summary>
internal sealed record ObjectValue(ObjectSpec Object) : ValueExpr;

/// <summary>One case of <c>"cases"</c>: a condition (none for the last) and its value.</summary>
internal sealed record Case(Condition? When, ValueExpr Value);

/// <summary><c>"cases": [...]</c> — the value of the first case whose condition holds.</summary>
internal sealed record CasesValue(EquatableArray<Case> Cases) : ValueExpr;
