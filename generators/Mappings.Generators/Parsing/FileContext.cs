using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

/// <summary>What a name in a mapping file refers to (checked once every file is known).</summary>
internal enum ReferenceKind
{
    PathList,
    Let,
    FieldGroup,
    Mapping,
}

/// <summary>
/// A name used in a file and where, for the cross-file check (a location as plain values: this
/// lives in the diagnostics pipeline, never in the model that code is generated from).
/// </summary>
internal sealed record Reference(
    ReferenceKind Kind,
    string Name,
    string Destination,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan);

/// <summary>
/// The state of parsing one file: its text, the diagnostics found so far and the references to
/// check later. Also reads objects property by property, reporting unknown and repeated ones.
/// </summary>
internal sealed class FileContext
{
    private readonly ImmutableArray<DiagnosticInfo>.Builder _diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
    private readonly ImmutableArray<Reference>.Builder _references = ImmutableArray.CreateBuilder<Reference>();

    public FileContext(string filePath, string relativePath, string destination, SourceText text)
    {
        FilePath = filePath;
        RelativePath = relativePath;
        Destination = destination;
        Text = text;
    }

    public string FilePath { get; }

    public string RelativePath { get; }

    public string Destination { get; }

    public SourceText Text { get; }

    public bool HasErrors => _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    public EquatableArray<DiagnosticInfo> Diagnostics => _diagnostics.ToImmutable();

    public EquatableArray<Reference> References => _references.ToImmutable();

    public void Report(DiagnosticDescriptor descriptor, TextSpan span, params string[] args)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, FilePath, Text, span, args));

    public void Refer(ReferenceKind kind, string name, TextSpan span)
        => _references.Add(new Reference(kind, name, Destination, FilePath, span, Text.Lines.GetLinePositionSpan(span)));

    /// <summary>The 1-based line of a position (for messages that point at another line).</summary>
    public int LineOf(TextSpan span) => Text.Lines.GetLinePosition(span.Start).Line + 1;

    /// <summary>Where an entry is, as generated code quotes it (<see cref="EntryText"/>).</summary>
    public EntrySource Source(JNode entry) => new(MappingFilePath.MappingsDirectoryName + "/" + RelativePath, LineOf(entry.Span), EntryText.Of(entry));

    /// <summary>Where a property is, with its value (<c>"customFields": { … }</c>).</summary>
    public EntrySource Source(JProperty property) => new(MappingFilePath.MappingsDirectoryName + "/" + RelativePath, LineOf(property.NameSpan), EntryText.Of(property));

    /// <summary>Starts reading an object whose allowed properties are <paramref name="known"/>.</summary>
    public ObjectReader Read(JObject node, string what, params string[] known) => new(this, node, what, known);

    /// <summary>Reports a node of the wrong JSON type.</summary>
    public void WrongType(string name, JNode node, string expected)
        => Report(DiagnosticDescriptors.WrongType, node.Span, name, expected, node.Kind);
}

/// <summary>Reads the properties of one object; unknown and repeated properties are reported once, on <see cref="Dispose"/>.</summary>
internal sealed class ObjectReader : System.IDisposable
{
    private readonly FileContext _file;
    private readonly string[] _known;

    public ObjectReader(FileContext file, JObject node, string what, string[] known)
    {
        _file = file;
        Node = node;
        What = what;
        _known = known;
        var seen = new HashSet<string>();
        foreach (JProperty p in node.Properties)
        {
            if (!seen.Add(p.Name))
            {
                file.Report(DiagnosticDescriptors.RepeatedProperty, p.NameSpan, p.Name);
            }
        }
    }

    public JObject Node { get; }

    /// <summary>"a field", "the request section", … (for messages).</summary>
    public string What { get; }

    public bool Has(string name) => Node.Find(name) is not null;

    public JProperty? Property(string name) => Node.Find(name);

    public JNode? Value(string name) => Node.Find(name)?.Value;

    /// <summary>A string property; reports a wrong type. Null when absent.</summary>
    public string? String(string name)
    {
        JNode? value = Value(name);
        if (value is null)
        {
            return null;
        }

        if (value is JString s)
        {
            return s.Value;
        }

        _file.WrongType(name, value, "a string");
        return null;
    }

    /// <summary>A string property that must be present.</summary>
    public string? RequiredString(string name, string hint)
    {
        if (!Has(name))
        {
            _file.Report(DiagnosticDescriptors.MissingProperty, Node.Span.Start == Node.Span.End ? Node.Span : new TextSpan(Node.Span.Start, 1), Capitalize(What), name, hint);
            return null;
        }

        return String(name);
    }

    /// <summary>Reports that a required property is missing.</summary>
    public void Missing(string name, string hint)
        => _file.Report(DiagnosticDescriptors.MissingProperty, new TextSpan(Node.Span.Start, 1), Capitalize(What), name, hint);

    /// <summary>A boolean property; null when absent.</summary>
    public bool? Boolean(string name)
    {
        JNode? value = Value(name);
        if (value is null)
        {
            return null;
        }

        if (value is JBoolean b)
        {
            return b.Value;
        }

        _file.WrongType(name, value, "true or false");
        return null;
    }

    /// <summary>An object property; null when absent or of another type (reported).</summary>
    public JObject? Object(string name)
    {
        JNode? value = Value(name);
        if (value is null || value is JObject)
        {
            return (JObject?)value;
        }

        _file.WrongType(name, value, "an object");
        return null;
    }

    /// <summary>An array property; null when absent or of another type (reported).</summary>
    public JArray? Array(string name)
    {
        JNode? value = Value(name);
        if (value is null || value is JArray)
        {
            return (JArray?)value;
        }

        _file.WrongType(name, value, "an array");
        return null;
    }

    /// <summary>An array of strings; reports non-strings. Null when absent.</summary>
    public ImmutableArray<(string Value, TextSpan Span)>? Strings(string name)
    {
        JArray? array = Array(name);
        if (array is null)
        {
            return null;
        }

        var builder = ImmutableArray.CreateBuilder<(string, TextSpan)>();
        foreach (JNode item in array.Items)
        {
            if (item is JString s)
            {
                builder.Add((s.Value, s.Span));
            }
            else
            {
                _file.WrongType(name + " item", item, "a string");
            }
        }

        return builder.ToImmutable();
    }

    public void Dispose()
    {
        foreach (JProperty p in Node.Properties)
        {
            if (System.Array.IndexOf(_known, p.Name) < 0)
            {
                _file.Report(DiagnosticDescriptors.UnknownProperty, p.NameSpan, p.Name, What, string.Join(", ", _known.Where(k => k != "$schema")));
            }
        }
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
}
