using System.Text;
using Mappings.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Emitting;

/// <summary>Generates the class of one mapping file (<c>Mapping.sbn-cs</c>, or a stub when the file has errors).</summary>
internal static class MapperEmitter
{
    public static string HintName(MapperModel model) => $"{model.Namespace}.{model.ClassName}.g.cs";

    public static void Emit(SourceProductionContext context, MapperModel model)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(HintName(model), SourceText.From(Render(model), Encoding.UTF8));
    }

    public static string Render(MapperModel model)
    {
        var view = new MappingView
        {
            Namespace = model.Namespace,
            ClassName = model.ClassName,
            LetsType = model.DestinationClassName + "Lets",
            RelativePath = model.RelativePath,
            MappingName = model.MappingName,
        };

        if (!model.IsValid || model.Record is null)
        {
            return TemplateRenderer.InvalidMapping.Render(view);
        }

        var statics = new StaticTable();
        var lowering = new Lowering(statics, model.Lets);
        var body = new CodeWriter();
        var scope = new Lowering.Scope { Message = "message", Config = "context.Config" };

        string record = lowering.Object(model.Record, scope, body);
        body.Line($"context.AddRecord({record});");
        foreach (ExtraRecordSpec extra in model.ExtraRecords)
        {
            body.Line(string.Empty);
            if (extra.When is not null)
            {
                body.Open($"if ({lowering.Condition(extra.When, scope, body)})");
            }
            else
            {
                body.OpenBlock();
            }

            string extraRecord = lowering.Object(extra.Record, scope, body);
            body.Line($"context.AddRecord({extraRecord});");
            body.Close();
        }

        body.Line(string.Empty);
        body.Line("return true;");

        view.Statics = statics.Declarations;
        view.Body = body.ToText(baseIndent: 3);
        return TemplateRenderer.Mapping.Render(view);
    }
}
