using System.Threading;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

/// <summary>The result of parsing one file: its model (when it has no errors), diagnostics and references.</summary>
internal sealed record FileParseResult(
    ParsedFile File,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<Reference> References)
{
    /// <summary>The file's full path (for diagnostics about the file as a whole).</summary>
    public string FilePath { get; init; } = string.Empty;
}

/// <summary>
/// Turns the text of a mapping file into its model (docs/mapping-language.md is the reference for
/// what it accepts). Every problem is reported with its exact place; a file with errors yields no
/// model, so it can never generate code.
/// </summary>
/// <remarks>
/// One file per section of the language: this file reads a file and decides its kind;
/// <c>.Common</c> (common.json), <c>.Destination</c>, <c>.Request</c>, <c>.Lets</c> and
/// <c>.EventRules</c> (destination.json), <c>.Mapping</c> (record mappings and objects),
/// <c>.Fields</c>, <c>.Values</c>, <c>.Templates</c>, <c>.Conditions</c>, <c>.Paths</c> and
/// <c>.Constants</c> (what every file kind contains).
/// </remarks>
internal static partial class MappingParser
{
    public const string CommonFileName = "common.json";
    public const string DestinationFileName = "destination.json";

    private static readonly string[] SourceNames = { "path", "paths", "firstTruthy", "const", "template", "object", "cases", "lower" };

    /// <summary>What a value expression may use, depending on where it is.</summary>
    private sealed class Scope
    {
        public static readonly Scope Mapping = new() { Lets = true, Message = true };
        public static readonly Scope Request = new() { Lets = false, Message = false };

        /// <summary>Named values ($name) may be used.</summary>
        public bool Lets { get; init; }

        /// <summary>Message paths may be used.</summary>
        public bool Message { get; init; }

        /// <summary>Fields of the object being built may be referred to ({"field": …}).</summary>
        public bool Fields { get; init; }

        /// <summary>"lower" is allowed (only as the value of a let).</summary>
        public bool Lower { get; init; }

        public Scope InObject() => new() { Lets = Lets, Message = Message, Fields = true };

        public Scope WithoutLower() => Lower ? new() { Lets = Lets, Message = Message, Fields = Fields } : this;
    }

    /// <summary>A mapping's name: its file name without extension (event rules refer to it).</summary>
    public static string MappingName(string relativePath)
    {
        string file = relativePath.Substring(relativePath.LastIndexOf('/') + 1);
        int dot = file.LastIndexOf('.');
        return dot > 0 ? file.Substring(0, dot) : file;
    }

    /// <summary>Decides the kind of a file from its path below <c>mappings/</c>.</summary>
    public static (MappingFileKind Kind, string Destination) Classify(string relativePath)
    {
        string[] parts = relativePath.Split('/');
        if (parts.Length == 1)
        {
            return (parts[0] == CommonFileName ? MappingFileKind.Common : MappingFileKind.Other, string.Empty);
        }

        if (parts.Length == 2)
        {
            return (parts[1] == DestinationFileName ? MappingFileKind.Destination : MappingFileKind.Mapping, parts[0]);
        }

        return (MappingFileKind.Other, parts[0]);
    }

    public static FileParseResult Parse(string path, SourceText text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string relativePath = MappingFilePath.GetRelativePath(path);
        (MappingFileKind kind, string destination) = Classify(relativePath);
        var file = new FileContext(path, relativePath, destination, text);
        var empty = new ParsedFile(kind, destination, relativePath, null, null, null);
        if (kind == MappingFileKind.Other)
        {
            return new FileParseResult(empty, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<Reference>.Empty) { FilePath = path };
        }

        JNode root;
        try
        {
            root = JsoncReader.Parse(text.ToString());
        }
        catch (JsoncException e)
        {
            int start = System.Math.Min(e.Position, text.Length);
            int length = System.Math.Min(e.Length, text.Length - start);
            file.Report(DiagnosticDescriptors.InvalidJson, new TextSpan(start, length), relativePath, e.Message);
            return new FileParseResult(empty, file.Diagnostics, file.References) { FilePath = path };
        }

        if (root is not JObject obj)
        {
            file.Report(DiagnosticDescriptors.WrongType, root.Span, relativePath, "a JSON object", root.Kind);
            return new FileParseResult(empty, file.Diagnostics, file.References) { FilePath = path };
        }

        ParsedFile parsed = kind switch
        {
            MappingFileKind.Common => empty with { Common = ParseCommon(file, obj) },
            MappingFileKind.Destination => empty with { DestinationFile = ParseDestination(file, obj) },
            _ => empty with { Mapping = ParseMapping(file, obj) },
        };

        if (file.HasErrors)
        {
            parsed = empty;
        }

        return new FileParseResult(parsed, file.Diagnostics, file.References) { FilePath = path };
    }
}
