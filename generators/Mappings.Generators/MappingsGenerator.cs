using System.Threading;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Emitting;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators;

/// <summary>
/// Generates C# from the mapping files passed as <c>AdditionalFiles</c> (<c>mappings/**/*.json</c>).
/// </summary>
/// <remarks>
/// Pipeline: mapping file → <see cref="Result{TValue}"/> of an equatable model and diagnostics (per
/// file, so editing one file re-runs only that file's steps; C# edits re-run nothing) → two outputs:
/// source from the models, diagnostics from the diagnostics. Keeping them apart means a change that only
/// moves a diagnostic does not re-emit code, and vice versa.
/// For now the model is a placeholder (<see cref="MappingFileInfo"/>).
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class MappingsGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<Result<MappingFileInfo>> parsedFiles = context.AdditionalTextsProvider
            .Where(static file => MappingFilePath.IsMappingFile(file.Path))
            .WithTrackingName(TrackingNames.MappingFiles)
            .Select(static (file, cancellationToken) => Parse(file, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedFiles);

        IncrementalValuesProvider<MappingFileInfo> models = parsedFiles
            .Select(static (result, _) => result.Value)
            .WithTrackingName(TrackingNames.Models);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsedFiles
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(models, static (output, model) => PlaceholderEmitter.Emit(output, model));
        context.RegisterSourceOutput(diagnostics, static (output, infos) =>
        {
            foreach (DiagnosticInfo info in infos)
            {
                output.ReportDiagnostic(info.ToDiagnostic());
            }
        });
    }

    private static Result<MappingFileInfo> Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        // GetText returns null when the file cannot be read; parsing the empty text then reports MAP001.
        SourceText text = file.GetText(cancellationToken) ?? SourceText.From(string.Empty);
        return PlaceholderParser.Parse(file.Path, text, cancellationToken);
    }
}
