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

    /// <summary>The traced variant's file (a part of the same class): <c>….Traced.g.cs</c>.</summary>
    public static string TracedHintName(MapperModel model) => $"{model.Namespace}.{model.ClassName}.Traced.g.cs";

    public static void Emit(SourceProductionContext context, MapperModel model)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        MappingView view = Build(model);
        context.AddSource(HintName(model), SourceText.From(Render(model, view), Encoding.UTF8));
        if (IsGenerated(model))
        {
            context.AddSource(TracedHintName(model), SourceText.From(RenderTraced(view), Encoding.UTF8));
        }
    }

    public static string Render(MapperModel model) => Render(model, Build(model));

    /// <summary>The traced variant of a valid mapping (<c>MapTraced</c>, for explain).</summary>
    public static string RenderTraced(MapperModel model) => RenderTraced(Build(model));

    private static bool IsGenerated(MapperModel model) => model.IsValid && model.Record is not null;

    private static string Render(MapperModel model, MappingView view)
    {
        view.Traced = false;
        return Layout.Format(IsGenerated(model)
            ? TemplateRenderer.Mapping.Render(view)
            : TemplateRenderer.InvalidMapping.Render(view));
    }

    private static string RenderTraced(MappingView view)
    {
        view.Traced = true;
        try
        {
            return Layout.Format(TemplateRenderer.Mapping.Render(view));
        }
        finally
        {
            view.Traced = false;
        }
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

        var members = new MemberNames("Map", "MapTraced", "TraceSites", model.ClassName, "ToString", "Equals", "GetHashCode", "GetType", "ReferenceEquals", "MemberwiseClone");
        var statics = new Statics(members);
        var locals = new Locals("context", "lets", "heap", "message", "trace");
        FieldBindings bindings = FieldBindings.Plan(model, statics, members, locals);
        ConfigReads configReads = ConfigReads.Plan(model, locals);
        var trace = new TraceSites();
        var body = new BodyBuilder(statics, model.Lets, locals, bindings, configReads, trace);
        if (bindings.Binds.Count > 0)
        {
            body.UseMessage();
        }

        view.ConfigReads = configReads.Reads.Select(r => new ConfigReadView { Var = r.Var, Value = body.ConfigProperty(r.Property) }).ToList();

        var scope = new BodyBuilder.Scope { Message = "message", Config = "context.Config" };
        string recordTrace = trace.Record(model.Record.Source, null, extra: false).Name;
        view.Record = body.Object(model.Record, scope, locals.Declare("record"), "record");
        view.Record.RecordTrace = recordTrace;
        foreach (ExtraRecordSpec extra in model.ExtraRecords)
        {
            TraceSites.Site site = trace.Record(extra.Source, extra.When, extra: true);
            var extraView = new ExtraRecordView { Source = extra.Source, Trace = site.Name };
            if (extra.When is not null)
            {
                body.Site = site;
                extraView.When = body.Test(extra.When, scope, extraView.WhenPrelude);
                body.Site = null;
            }

            locals.Open();
            extraView.Object = body.Object(extra.Record, scope.Within(extra.When, body.InputWrites), locals.Declare("extraRecord"), "extraRecord");
            locals.Close();
            view.ExtraRecords.Add(extraView);
        }

        view.Statics = statics.Groups();
        view.BindingTypes = bindings.Types;
        view.Binds = bindings.Binds;
        view.UsesHeap = body.UsesHeap;
        view.UsesMessage = body.UsesMessage;
        view.TraceSites = trace.Sites;
        return view;
    }
}
