using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Diagnostics;

/// <summary>
/// The catalog of every diagnostic the mappings generator reports (MAP001…).
/// </summary>
/// <remarks>
/// Adding one: take the next free ID, give it a message that says what to change, write
/// <c>docs/diagnostics/MAPnnn.md</c>, and list it in <c>AnalyzerReleases.Unshipped.md</c> (RS2008).
/// Severities can be changed per project in <c>.editorconfig</c>
/// (<c>dotnet_diagnostic.MAP001.severity = warning</c>).
/// </remarks>
internal static class DiagnosticDescriptors
{
    public const string Category = "Mappings";

    /// <summary>
    /// Base of every help link. The repository has no public web address yet, so links use the
    /// <c>repo:</c> scheme followed by a path relative to the repository root
    /// (<c>repo:docs/diagnostics/MAP001.md</c>): a valid absolute URI that tells a reader exactly which
    /// file to open. When the repository gets a browsable home, change this one constant.
    /// </summary>
    public const string HelpLinkBase = "repo:docs/diagnostics/";

    public static readonly DiagnosticDescriptor InvalidJson = Create(
        id: "MAP001",
        title: "Invalid JSON",
        messageFormat: "Mapping file '{0}' is not valid JSON: {1}. Correct the JSON at this position; comments are allowed, trailing commas are not.");

    public static readonly DiagnosticDescriptor UnknownProperty = Create(
        id: "MAP002",
        title: "Unknown property",
        messageFormat: "'{0}' is not a property of {1}. Remove it or use one of: {2}.");

    public static readonly DiagnosticDescriptor WrongType = Create(
        id: "MAP003",
        title: "Wrong value type",
        messageFormat: "'{0}' must be {1}, not {2}. Change the value.");

    public static readonly DiagnosticDescriptor UnknownReference = Create(
        id: "MAP004",
        title: "Unknown path list, named value, field group, mapping or primitive",
        messageFormat: "{0} '{1}' is not defined. Define it or use one of: {2}.");

    public static readonly DiagnosticDescriptor DuplicateKey = Create(
        id: "MAP005",
        title: "Duplicate destination key",
        messageFormat: "Key '{0}' is already written by an earlier field without a 'when' condition (line {1}). Remove one of them, or give them 'when' conditions.");

    public static readonly DiagnosticDescriptor InvalidPath = Create(
        id: "MAP006",
        title: "Invalid path",
        messageFormat: "'{0}' is not a valid path: {1}. Write dot-separated names (traits.email), $config.name, $name or @list.");

    public static readonly DiagnosticDescriptor InvalidTemplate = Create(
        id: "MAP007",
        title: "Invalid template",
        messageFormat: "Template \"{0}\" is invalid: {1}");

    public static readonly DiagnosticDescriptor UnreachableEventRule = Create(
        id: "MAP008",
        title: "Event rule never applies",
        messageFormat: "This event rule never applies: the rule at line {0} already takes every '{1}' event{2}. Move this rule above it or remove it.");

    public static readonly DiagnosticDescriptor MissingProperty = Create(
        id: "MAP009",
        title: "Missing required section",
        messageFormat: "{0} needs '{1}': {2}");

    public static readonly DiagnosticDescriptor InvalidValue = Create(
        id: "MAP010",
        title: "Invalid value",
        messageFormat: "{0} is not a valid value of '{1}'. Use one of: {2}.");

    public static readonly DiagnosticDescriptor ValueSources = Create(
        id: "MAP011",
        title: "A field needs exactly one value source",
        messageFormat: "This field has {0}. Give it exactly one of: path, paths, firstTruthy, const, template, object, cases.");

    public static readonly DiagnosticDescriptor RepeatedProperty = Create(
        id: "MAP012",
        title: "Repeated property",
        messageFormat: "'{0}' appears more than once in this object. Keep one.");

    public static readonly DiagnosticDescriptor RequestSettingsReadConfigOnly = Create(
        id: "MAP013",
        title: "Request settings read only $config and constants",
        messageFormat: "{0} cannot be used in request settings: they are computed from the destination's config alone. Use $config.name or a constant.");

    public static readonly DiagnosticDescriptor InvalidDirectAccess = Create(
        id: "MAP014",
        title: "Invalid direct property access",
        messageFormat: "'{0}' cannot be read by direct property access: {1}");

    public static readonly DiagnosticDescriptor NotAppliedToHeaders = Create(
        id: "MAP015",
        title: "Not applied to headers",
        messageFormat: "{0} is not applied to headers: a header has a 'key', one value source and optionally 'emit'. Remove it; compute a conditional value with 'cases'.");

    public static readonly DiagnosticDescriptor TemplatePropertyWithoutTemplate = Create(
        id: "MAP016",
        title: "Template property without a template",
        messageFormat: "'{0}' belongs to a template, and this value has no 'template'. Remove it, or make the value a template.");

    public static readonly DiagnosticDescriptor LowerOutsideNamedValue = Create(
        id: "MAP017",
        title: "'lower' outside a named value",
        messageFormat: "'lower' can only define a named value (lets). Define one in destination.json and compare it with 'equals' or 'in'.");

    public static readonly DiagnosticDescriptor ObjectNotAllowedHere = Create(
        id: "MAP018",
        title: "Object not allowed here",
        messageFormat: "An object cannot be built {0}: objects are the values of fields and of their cases. Build it in a field, or give a single value here.");

    public static readonly DiagnosticDescriptor CaseWithoutWhenBeforeLast = Create(
        id: "MAP019",
        title: "Case without 'when' before the last",
        messageFormat: "Only the last case may have no 'when': the cases after this one would never be used. Give this case a 'when', or move it last.");

    public static readonly DiagnosticDescriptor FieldReferenceOutsideObject = Create(
        id: "MAP020",
        title: "Field reference outside an object",
        messageFormat: "{{\"field\": \"{0}\"}} refers to a key of the object being built, and there is none here. Use it in the fields of a record or an object.");

    public static readonly DiagnosticDescriptor NestedFieldGroup = Create(
        id: "MAP021",
        title: "Field group inside a field group",
        messageFormat: "A field group cannot use another field group ('{0}'). List its fields here, or use both groups in the mapping.");

    public static readonly DiagnosticDescriptor NamedValueCycle = Create(
        id: "MAP022",
        title: "Named value depends on itself",
        messageFormat: "The named value '${0}' depends on itself ({1}) and could never be computed. Break the cycle.");

    /// <summary>Every descriptor, in ID order (tests check that each has its docs page and release entry).</summary>
    public static readonly DiagnosticDescriptor[] All =
    {
        InvalidJson, UnknownProperty, WrongType, UnknownReference, DuplicateKey, InvalidPath, InvalidTemplate,
        UnreachableEventRule, MissingProperty, InvalidValue, ValueSources, RepeatedProperty, RequestSettingsReadConfigOnly,
        InvalidDirectAccess, NotAppliedToHeaders, TemplatePropertyWithoutTemplate, LowerOutsideNamedValue, ObjectNotAllowedHere,
        CaseWithoutWhenBeforeLast, FieldReferenceOutsideObject, NestedFieldGroup, NamedValueCycle,
    };

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        DiagnosticSeverity severity = DiagnosticSeverity.Error)
        => new(
            id,
            title,
            messageFormat,
            Category,
            severity,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + id + ".md");
}
