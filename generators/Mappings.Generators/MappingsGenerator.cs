using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Emitting;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing;
using Mappings.Generators.Resolving;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators;

/// <summary>
/// Generates mapper classes from the mapping files passed as <c>AdditionalFiles</c>
/// (<c>mappings/common.json</c>, <c>mappings/&lt;destination&gt;/*.json</c>).
/// </summary>
/// <remarks>
/// Pipeline (docs/generator-internals.md): each file is parsed on its own into an equatable model
/// plus its diagnostics and the names it uses; shared definitions (path lists, each folder's named
/// values and field groups, mapping names) are collected; each mapping and each destination is
/// resolved against them and rendered through a Scriban template. Editing one mapping file re-runs
/// that file's steps only (and what uses what it defines); editing C# re-runs nothing. Diagnostics
/// travel in their own pipelines, so moving text around never re-emits code.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class MappingsGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<FileParseResult> parsed = context.AdditionalTextsProvider
            .Where(static file => MappingFilePath.IsMappingFile(file.Path))
            .WithTrackingName(TrackingNames.MappingFiles)
            .Select(static (file, cancellationToken) => Parse(file, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedFiles);

        IncrementalValuesProvider<ParsedFile> files = parsed
            .Select(static (result, _) => result.File)
            .WithTrackingName(TrackingNames.Files);

        IncrementalValueProvider<EquatableArray<PathList>> pathLists = files
            .Where(static f => f.Kind == MappingFileKind.Common)
            .Select(static (f, _) => f.Common?.PathLists ?? EquatableArray<PathList>.Empty)
            .Collect()
            .Select(static (lists, _) => (EquatableArray<PathList>)lists.SelectMany(l => l).ToImmutableArray())
            .WithTrackingName(TrackingNames.PathLists);

        IncrementalValueProvider<EquatableArray<DestinationDefinitions>> definitions = files
            .Where(static f => f.Kind == MappingFileKind.Destination)
            .Select(static (f, _) => Resolver.Definitions(f))
            .Collect()
            .Select(static (defs, _) => (EquatableArray<DestinationDefinitions>)defs.Where(d => d is not null).Select(d => d!).ToImmutableArray())
            .WithTrackingName(TrackingNames.DestinationDefinitions);

        IncrementalValueProvider<EquatableArray<MappingName>> mappingNames = files
            .Where(static f => f.Kind == MappingFileKind.Mapping)
            .Select(static (f, _) => new MappingName(f.Destination, MappingParser.MappingName(f.RelativePath)))
            .Collect()
            .Select(static (names, _) => (EquatableArray<MappingName>)names)
            .WithTrackingName(TrackingNames.MappingNames);

        IncrementalValuesProvider<MapperModel> mappers = files
            .Where(static f => f.Kind == MappingFileKind.Mapping)
            .Combine(pathLists)
            .Combine(definitions)
            .Select(static (input, _) => Resolver.ResolveMapping(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.Mappers);

        IncrementalValuesProvider<DestinationModel?> destinations = files
            .Where(static f => f.Kind == MappingFileKind.Destination)
            .Combine(pathLists)
            .Combine(mappingNames)
            .Select(static (input, _) => Resolver.ResolveDestination(
                input.Left.Left,
                input.Left.Right,
                input.Right.Where(n => n.Destination == input.Left.Left.Destination).Select(n => n.Name).ToImmutableArray()))
            .WithTrackingName(TrackingNames.Destinations);

        context.RegisterSourceOutput(mappers, static (output, model) => MapperEmitter.Emit(output, model));
        context.RegisterSourceOutput(destinations, static (output, model) =>
        {
            if (model is not null)
            {
                DestinationEmitter.Emit(output, model);
            }
        });

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> fileDiagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.FileDiagnostics);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> referenceDiagnostics = parsed
            .Select(static (result, _) => result.References)
            .Combine(pathLists)
            .Combine(definitions)
            .Combine(mappingNames)
            .Select(static (input, _) => Resolver.CheckReferences(
                input.Left.Left.Left,
                input.Left.Left.Right,
                input.Left.Right,
                input.Right))
            .WithTrackingName(TrackingNames.ReferenceDiagnostics);

        // A mapping file needs its folder's destination.json.
        IncrementalValueProvider<EquatableArray<string>> destinationFolders = files
            .Where(static f => f.Kind == MappingFileKind.Destination)
            .Select(static (f, _) => f.Destination)
            .Collect()
            .Select(static (folders, _) => (EquatableArray<string>)folders)
            .WithTrackingName(TrackingNames.DestinationFolders);
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> folderDiagnostics = parsed
            .Where(static p => p.File.Kind == MappingFileKind.Mapping && p.File.Mapping is not null)
            .Select(static (p, _) => (p.FilePath, p.File.Destination, p.File.RelativePath))
            .Combine(destinationFolders)
            .Select(static (input, _) => Resolver.CheckDestinationFile(input.Left.FilePath, input.Left.Destination, input.Left.RelativePath, input.Right))
            .WithTrackingName(TrackingNames.FolderDiagnostics);

        context.RegisterSourceOutput(fileDiagnostics, static (output, infos) => Report(output, infos));
        context.RegisterSourceOutput(folderDiagnostics, static (output, infos) => Report(output, infos));
        context.RegisterSourceOutput(referenceDiagnostics, static (output, infos) => Report(output, infos));
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> infos)
    {
        foreach (DiagnosticInfo info in infos)
        {
            output.ReportDiagnostic(info.ToDiagnostic());
        }
    }

    private static FileParseResult Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        // GetText returns null when the file cannot be read; parsing the empty text then reports MAP001.
        SourceText text = file.GetText(cancellationToken) ?? SourceText.From(string.Empty);
        return MappingParser.Parse(file.Path, text, cancellationToken);
    }
}
