using System.Text;
using Mappings.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Emitting;

/// <summary>Turns a <see cref="MappingFileInfo"/> into <c>Mappings.Generated.&lt;Name&gt;Info</c>.</summary>
internal static class PlaceholderEmitter
{
    public static string HintName(MappingFileInfo model) => $"Mappings.Generated.{model.TypeName}.g.cs";

    public static string Render(MappingFileInfo model) => TemplateRenderer.Placeholder.Render(model);

    public static void Emit(SourceProductionContext context, MappingFileInfo model)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(HintName(model), SourceText.From(Render(model), Encoding.UTF8));
    }
}
