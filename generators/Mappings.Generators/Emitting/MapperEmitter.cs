using System.Linq;
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
        MappingView view = Build(model);
        return Layout.Format(model.IsValid && model.Record is not null
            ? TemplateRenderer.Mapping.Render(view)
            : TemplateRenderer.InvalidMapping.Render(view));
    }

    /// <summary>The view of a mapping: names and decisions; the template lays it out.</summary>
    public static MappingView Build(MapperModel model)
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
            return view;
        }

        var members = new MemberNames("Map", model.ClassName, "ToString", "Equals", "GetHashCode", "GetType", "ReferenceEquals", "MemberwiseClone");
        var statics = new Statics(members);
        var locals = new Locals("context", "lets", "heap", "message");
        FieldBindings bindings = FieldBindings.Plan(model, statics, members, locals);
        ConfigReads configReads = ConfigReads.Plan(model, locals);
        var body = new BodyBuilder(statics, model.Lets, locals, bindings, configReads);
        if (bindings.Binds.Count > 0)
        {
            body.UseMessage();
        }

        view.ConfigReads = configReads.Reads.Select(r => new ConfigReadView { Var = r.Var, Value = body.ConfigProperty(r.Property) }).ToList();

        var scope = new BodyBuilder.Scope { Message = "message", Config = "context.Config" };
        view.Record = body.Object(model.Record, scope, locals.Declare("record"), "record");
        foreach (ExtraRecordSpec extra in model.ExtraRecords)
        {
            var extraView = new ExtraRecordView { Source = extra.Source };
            if (extra.When is not null)
            {
                extraView.When = body.Test(extra.When, scope, extraView.WhenPrelude);
            }

            locals.Open();
            extraView.Object = body.Object(extra.Record, scope, locals.Declare("extraRecord"), "extraRecord");
            locals.Close();
            view.ExtraRecords.Add(extraView);
        }

        view.Statics = statics.Groups();
        view.BindingTypes = bindings.Types;
        view.Binds = bindings.Binds;
        view.UsesHeap = body.UsesHeap;
        view.UsesMessage = body.UsesMessage;
        return view;
    }
}
