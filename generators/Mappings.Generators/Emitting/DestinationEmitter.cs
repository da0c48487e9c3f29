using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Resolving;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Emitting;

/// <summary>Generates a destination's class from its <c>destination.json</c> (<c>Destination.sbn-cs</c>).</summary>
internal static class DestinationEmitter
{
    /// <summary>Events are matched by name on the message's <c>event</c> property (RudderStack's event name).</summary>
    public const string EventPath = "event";

    public static string HintName(DestinationModel model) => $"{model.Namespace}.{model.ClassName}Mapper.g.cs";

    /// <summary>The traced variant's file (a part of the same class): <c>….Traced.g.cs</c>.</summary>
    public static string TracedHintName(DestinationModel model) => $"{model.Namespace}.{model.ClassName}Mapper.Traced.g.cs";

    public static void Emit(SourceProductionContext context, DestinationModel model)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        DestinationView view = Build(model);
        context.AddSource(HintName(model), SourceText.From(Render(view, traced: false), Encoding.UTF8));
        context.AddSource(TracedHintName(model), SourceText.From(Render(view, traced: true), Encoding.UTF8));
    }

    public static string Render(DestinationModel model) => Render(Build(model), traced: false);

    /// <summary>The traced variant of the dispatch (<c>MapTraced</c>, for explain).</summary>
    public static string RenderTraced(DestinationModel model) => Render(Build(model), traced: true);

    private static string Render(DestinationView view, bool traced)
    {
        view.Traced = traced;
        try
        {
            return Layout.Format(TemplateRenderer.Destination.Render(view));
        }
        finally
        {
            view.Traced = false;
        }
    }

    /// <summary>The view of a destination: names and decisions; the template lays it out.</summary>
    public static DestinationView Build(DestinationModel model)
    {
        string mapperClass = model.ClassName + "Mapper";
        var types = model.Rules.SelectMany(r => r.Types).Distinct().ToList();
        var members = new MemberNames(
            new[]
            {
                mapperClass, "Instance", "DestType", "DestTypeName", "DestTypeEncoded", "MaxRecordsPerBatch", "RecordsKey", "RecordsKeyEncoded",
                "Map", "Endpoint", "WriteRequestHead", "UserDeletion", "UserDeletionEndpoint", "UserDeletionHeaders",
                "MapTraced", "TracedLets", "TraceSites",
                "ToString", "Equals", "GetHashCode", "GetType", "ReferenceEquals", "MemberwiseClone",
            }.Concat(types.Select(MethodOf)).ToArray());
        var statics = new Statics(members);
        IReadOnlyList<LetInfo> lets = Resolver.LetInfos(model.Lets);
        var trace = new TraceSites();

        var view = new DestinationView
        {
            Namespace = model.Namespace,
            ClassName = model.ClassName,
            MapperClass = mapperClass,
            LetsType = model.ClassName + "Lets",
            RelativePath = model.RelativePath,
            DestType = model.DestType,
            MaxRecordsPerBatch = model.Request.MaxRecordsPerBatch,
            RecordsKey = model.Request.RecordsKey,
            DestinationSource = model.DestinationSource,
            MethodSource = model.Request.MethodSource,
            RecordsKeySource = model.Request.RecordsKeySource,
            MaxRecordsPerBatchSource = model.Request.MaxRecordsPerBatchSource,
            MessageTypeSource = model.MessageType.Source,
            TypePath = statics.Path(model.MessageType.Path),
            TypeWhat = model.MessageType.Path + " must be a string",
            MissingType = statics.Message(model.MessageType.MissingError, "MissingTypeError"),
            UnsupportedType = statics.Message(model.MessageType.UnsupportedError, "UnsupportedTypeError"),
        };

        // The dispatch's own checks: a missing, non-string or unsupported type, a missing Config.
        view.MessageTypeTrace = trace.MessageType(model.MessageType.Source, model.MessageType.Path).Name;
        view.ConfigTrace = trace.Config("mappings/" + model.RelativePath).Name;

        // The traced places, once each: a precondition or rule shared by several types is one place.
        var preconditionSites = model.Preconditions.ToDictionary(p => p, p => trace.Fail(p.Source, p.Fail, p.When));
        var ruleSites = model.Rules.ToDictionary(r => r, r => trace.Rule(r));
        foreach (string type in types)
        {
            view.Types.Add(Type(model, type, statics, lets, preconditionSites, ruleSites));
        }

        view.LetTraces = model.Lets.Select(l => trace.Let(l).Name).ToList();
        view.TraceSites = trace.Sites;

        var endpointBody = new BodyBuilder(statics, lets, new Locals("heap", "config"));
        view.Endpoint = ConfigValue(endpointBody, model.Request.Endpoint, model.Request.EndpointSource, "endpoint");
        view.Method = statics.Text(model.Request.Method, "HttpMethod", preferred: "HttpMethod");
        var headerBody = new BodyBuilder(statics, lets, new Locals("writer", "heap", "config", "endpoint"));
        view.Headers = Headers(headerBody, model.Request.Headers, statics);

        if (model.UserDeletion is { } deletion)
        {
            var deletionHeaders = new BodyBuilder(statics, lets, new Locals("heap", "config", "add"));
            view.UserDeletion = new UserDeletionView
            {
                Source = deletion.Source,
                BatchSize = deletion.BatchSize,
                UserIdKey = deletion.UserIdKey,
                IdsKey = deletion.IdsKey,
                RequiredConfig = deletion.RequiredConfig.ToList(),
                MissingConfigError = deletion.MissingConfigError,
                FailureError = deletion.FailureError,
                Endpoint = ConfigValue(new BodyBuilder(statics, lets, new Locals("heap", "config")), deletion.Endpoint, deletion.EndpointSource, "deletionEndpoint"),
                Headers = Headers(deletionHeaders, deletion.Headers, statics),
            };
        }

        view.Statics = statics.Groups();

        // The lets struct is its own type: its statics are declared in it.
        var letMembers = new MemberNames(
            model.Lets.Select(l => BodyBuilder.LetAccessor(l.Name))
                .Concat(model.Lets.Select(l => "_" + l.Name))
                .Concat(new[] { view.LetsType, "ToString", "Equals", "GetHashCode", "GetType" })
                .ToArray());
        var letStatics = new Statics(letMembers);
        foreach (LetSpec let in model.Lets)
        {
            var body = new BodyBuilder(letStatics, lets, new Locals("context", "heap", "message"));
            var letView = new LetView { Source = let.Source, Name = let.Name, Accessor = BodyBuilder.LetAccessor(let.Name) };
            letView.Value = body.Value(let.Value, new BodyBuilder.Scope { Message = "message", Config = "context.Config", Lets = string.Empty }, letView.Prelude, let.Name, "let");
            letView.UsesHeap = body.UsesHeap;
            letView.UsesMessage = body.UsesMessage;
            view.Lets.Add(letView);
        }

        view.LetStatics = letStatics.Groups();
        return view;
    }

    private static string MethodOf(string type) => "Map" + Identifier.Pascal(type);

    /// <summary>The dispatch of one message type: its preconditions, then its event rules in order.</summary>
    private static TypeView Type(
        DestinationModel model,
        string type,
        Statics statics,
        IReadOnlyList<LetInfo> lets,
        Dictionary<PreconditionSpec, TraceSites.Site> preconditionSites,
        Dictionary<RuleTarget, TraceSites.Site> ruleSites)
    {
        var body = new BodyBuilder(statics, lets, new Locals("context", "lets", "heap", "message", "trace"));
        var scope = new BodyBuilder.Scope { Message = "message", Config = "context.Config" };
        var view = new TypeView { Type = type, Method = MethodOf(type) };
        foreach (PreconditionSpec pre in model.Preconditions.Where(p => p.Types.Contains(type)))
        {
            TraceSites.Site site = preconditionSites[pre];
            var fail = new FailView { Source = pre.Source, Message = statics.Message(pre.Fail), Trace = site.Name };
            if (pre.When is not null)
            {
                body.Site = site;
                fail.When = body.Test(pre.When, scope, fail.WhenPrelude);
                body.Site = null;
            }

            view.Preconditions.Add(fail);
        }

        bool catchAll = false;
        foreach (RuleTarget rule in model.Rules.Where(r => r.Types.Contains(type)))
        {
            var ruleView = new RuleView { Source = rule.Source, MappingClass = rule.MappingClass, Trace = ruleSites[rule].Name };
            view.Rules.Add(ruleView);
            if (rule.EventName is null)
            {
                catchAll = true;
                break;
            }

            body.UseMessage();
            var eventValue = new ValueView { Kind = "get", Root = "message", Name = statics.Path(EventPath) };
            ruleView.Match = new TestView
            {
                Kind = "eventIs",
                Value = eventValue,
                Text = rule.EventName.ToLowerInvariant(),
                Name = EventPath,
                Trace = ruleView.Trace,
                TraceIndex = 0,
                TraceOperand = eventValue,
            };
        }

        if (!catchAll)
        {
            view.Unsupported = statics.Message(model.MessageType.UnsupportedError, "UnsupportedTypeError");
        }

        view.UsesHeap = body.UsesHeap;
        view.UsesMessage = body.UsesMessage;
        return view;
    }

    private static ConfigValueView ConfigValue(BodyBuilder body, ValueExpr value, EntrySource? source, string name)
    {
        var view = new ConfigValueView { Source = source };
        view.Value = body.Value(value, new BodyBuilder.Scope { Message = null, Config = "config" }, view.Prelude, name, name);
        view.UsesHeap = body.UsesHeap;
        return view;
    }

    /// <summary>Headers: their value, the emit test (none where the value is always written), the key.</summary>
    private static List<HeaderView> Headers(BodyBuilder body, EquatableArray<FieldSpec> headers, Statics statics)
    {
        var views = new List<HeaderView>();
        var scope = new BodyBuilder.Scope { Message = null, Config = "config" };
        foreach (ValueField header in headers.OfType<ValueField>())
        {
            string name = header.Value is PathValue { Path.Path.Length: > 0 } p ? p.Path.Path.Substring(p.Path.Path.LastIndexOf('.') + 1) : header.Key;
            var view = new HeaderView { Source = header.Source, Key = statics.Key(header.Key), KeyText = header.Key };
            bool always = header.Value is ConstValue { Value: var c } && (header.Emit switch
            {
                EmitRule.Defined => true,
                EmitRule.Present => c.Kind != ConstKind.Null,
                _ => c.IsVValid,
            });
            view.Emit = always ? "always" : header.Emit switch { EmitRule.Defined => "defined", EmitRule.Present => "present", _ => "valid" };
            ValueView value = body.Value(header.Value, scope, view.Prelude, name, header.Key);
            bool declared = value.Kind == "local" && view.Prelude.Count > 0;
            view.Var = always ? string.Empty : declared ? value.Name : body.Declare(name);
            view.Declare = !always && !declared;
            view.Value = value;
            views.Add(view);
        }

        return views;
    }
}
