using Mappings.Generators.Helpers;

namespace Mappings.Generators.Model;

/// <summary>When a field's value is written.</summary>
internal enum EmitRule
{
    /// <summary>Only V-valid values (the default): not undefined, null, "" or NaN.</summary>
    Valid,
    /// <summary>Anything but undefined (null is written).</summary>
    Defined,
    /// <summary>Anything but undefined and null.</summary>
    Present,
}

/// <summary>A conversion applied once the whole object is built (runtime primitives named in files).</summary>
internal enum Conversion
{
    None,
    /// <summary><c>"unixSeconds"</c>: timestamps as unix seconds (spec §3.9, §5.7).</summary>
    UnixSeconds,
}

/// <summary>How nulls are removed from a finished object.</summary>
internal enum NullRemoval
{
    None,
    /// <summary><c>true</c>: its own null and undefined members.</summary>
    Shallow,
    /// <summary><c>"deep"</c>: at every depth, then empty objects and arrays too.</summary>
    Deep,
}

/// <summary>An entry of a <c>fields</c> list.</summary>
internal abstract record FieldSpec
{
    /// <summary>Where the entry is written (null for entries made up by the generator).</summary>
    public EntrySource? Source { get; init; }

    /// <summary>The field group it was copied from (<c>{"use": "eventIdentity"}</c>), if any.</summary>
    public string? GroupName { get; init; }

    /// <summary>Where the mapping uses that group.</summary>
    public EntrySource? GroupUse { get; init; }
}

/// <summary>
/// A destination key and how its value is computed. <paramref name="RequiredMessage"/>: null when
/// optional; empty while the message is still to be derived from the source (<c>"required": true</c>).
/// </summary>
internal sealed record ValueField(
    string Key,
    ValueExpr Value,
    Condition? When,
    EquatableArray<ValueMapping> ValueMap,
    JsonConst? Default,
    string? RequiredMessage,
    EmitRule Emit,
    Conversion Convert,
    StringifySpec? Stringify) : FieldSpec;

/// <summary><c>{"fail": "message", "when": …}</c> — the event fails with a 400 when the condition holds.</summary>
internal sealed record FailField(string Message, Condition? When) : FieldSpec;

/// <summary><c>{"use": "group"}</c> — the fields of a named group (replaced by them when resolved).</summary>
internal sealed record UseField(string Group) : FieldSpec;

/// <summary>One output of a value map and the inputs (strictly equal) that give it.</summary>
internal sealed record ValueMapping(JsonConst Output, EquatableArray<JsonConst> Inputs);

/// <summary><c>"stringifyValues"</c>: nested objects and arrays become JSON text, except under some keys.</summary>
internal sealed record StringifySpec(EquatableArray<string> Except, ParseJsonSpec? Parse)
{
    public EntrySource? Source { get; init; }
}

/// <summary><c>"parseJson"</c>: the value under <paramref name="Key"/> is parsed JSON that must be an array of objects.</summary>
internal sealed record ParseJsonSpec(string Key, Condition? When, string Error);

/// <summary><c>"customFields"</c>: every other field of the source objects (message paths), with path writes.</summary>
internal sealed record CustomFieldsSpec(EquatableArray<ValuePath> From, EquatableArray<string> Exclude)
{
    public EntrySource? Source { get; init; }
}

/// <summary>
/// An object being built, in this order: its <paramref name="Fields"/>; custom fields; value
/// stringification; <paramref name="Assign"/> (Object.assign); conversions of fields; null removal;
/// then the <paramref name="Finally"/> fields.
/// </summary>
internal sealed record ObjectSpec(
    EquatableArray<FieldSpec> Fields,
    CustomFieldsSpec? CustomFields,
    StringifySpec? Stringify,
    ValueExpr? Assign,
    NullRemoval RemoveNulls,
    EquatableArray<FieldSpec> Finally)
{
    /// <summary>Where the object is written (a record: <c>"record"</c>).</summary>
    public EntrySource? Source { get; init; }

    public EntrySource? AssignSource { get; init; }

    public EntrySource? RemoveNullsSource { get; init; }

    public EntrySource? FinallySource { get; init; }
}
