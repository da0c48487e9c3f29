using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mappings.Generators.Model;
using Mappings.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Emitting;

/// <summary>Generates a destination's class from its <c>destination.json</c> (<c>Destination.sbn-cs</c>).</summary>
internal static class DestinationEmitter
{
    /// <summary>Events are matched by name on the message's <c>event</c> property (RudderStack's event name).</summary>
    public const string EventPath = "event";

    /// <summary>Emits a header: its value, the emit test, then <paramref name="write"/> of the value.</summary>
    private static void Header(Lowering lowering, Lowering.Scope scope, CodeWriter w, ValueField header, System.Func<string, string> write)
    {
        w.OpenBlock();
        string value = lowering.Value(header.Value, scope, w, header.Key);
        w.Line($"int v = {value};");
        string test = header.Emit switch
        {
            EmitRule.Defined => "v != JsHeap.Undefined",
            EmitRule.Present => "!heap.IsNullish(v)",
            _ => "heap.IsVValid(v)",
        };
        w.Line($"if ({test}) {write("v")}");
        w.Close();
    }

    public static string HintName(DestinationModel model) => $"{model.Namespace}.{model.ClassName}Mapper.g.cs";

    public static void Emit(SourceProductionContext context, DestinationModel model)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(HintName(model), SourceText.From(Render(model), Encoding.UTF8));
    }

    public static string Render(DestinationModel model)
    {
        var statics = new StaticTable();
        var lets = model.Lets.Select(l => new LetInfo(l.Name, l.Value is LowerValue)).ToList();
        var lowering = new Lowering(statics, lets);
        var eventScope = new Lowering.Scope { Message = "message", Config = "context.Config" };

        var types = new List<TypeView>();
        foreach (string type in model.Rules.SelectMany(r => r.Types).Distinct())
        {
            var body = new CodeWriter();
            foreach (PreconditionSpec pre in model.Preconditions.Where(p => p.Types.Contains(type)))
            {
                string test = pre.When is null ? "true" : lowering.Condition(pre.When, eventScope, body);
                body.Line($"if ({test}) return context.Fail({statics.Name(pre.Fail)});");
            }

            bool catchAll = false;
            foreach (RuleTarget rule in model.Rules.Where(r => r.Types.Contains(type)))
            {
                string call = $"{rule.MappingClass}.Map(context, ref lets)";
                if (rule.EventName is null)
                {
                    body.Line($"return {call};");
                    catchAll = true;
                    break;
                }

                string name = statics.Utf8(rule.EventName.ToLowerInvariant());
                body.Line($"if (EventNames.Matches(heap, heap.Get(message, {statics.Path(EventPath)}), {name}, {StaticTable.Literal(EventPath)})) return {call};");
            }

            if (!catchAll)
            {
                body.Line($"return context.Fail({statics.Name(model.MessageType.UnsupportedError)});");
            }

            types.Add(new TypeView
            {
                Type = type,
                Method = "Map" + Identifier.Pascal(type),
                TypeName = statics.Utf8(type),
                Body = body.ToText(baseIndent: 3),
            });
        }

        // The lets struct is its own type: its statics are declared in it.
        var letStatics = new StaticTable();
        var letLowering = new Lowering(letStatics, lets);
        var letViews = new List<LetView>();
        var letScope = new Lowering.Scope { Message = "message", Config = "context.Config", Lets = "this" };
        foreach (LetSpec let in model.Lets)
        {
            var body = new CodeWriter();
            string result = letLowering.LetValue(let.Value, letScope, body);
            letViews.Add(new LetView
            {
                Name = let.Name,
                Accessor = Lowering.LetAccessor(let.Name),
                Body = body.ToText(baseIndent: 4),
                Result = result,
            });
        }

        var requestScope = new Lowering.Scope { Message = null, Config = "config" };
        var endpointBody = new CodeWriter();
        string endpoint = lowering.Value(model.Request.Endpoint, requestScope, endpointBody, "endpoint");

        var headers = new CodeWriter();
        foreach (ValueField header in model.Request.Headers.OfType<ValueField>())
        {
            Header(lowering, requestScope, headers, header, v => $"heap.WriteMember(writer, {statics.Name(header.Key)}, {v});");
        }

        var deletionEndpoint = new CodeWriter();
        var deletionHeaders = new CodeWriter();
        string deletionEndpointResult = "JsHeap.Undefined";
        string deletionArguments = string.Empty;
        if (model.UserDeletion is { } deletion)
        {
            deletionEndpointResult = lowering.Value(deletion.Endpoint, requestScope, deletionEndpoint, "deletion endpoint");
            foreach (ValueField header in deletion.Headers.OfType<ValueField>())
            {
                Header(lowering, requestScope, deletionHeaders, header, v => $"add({StaticTable.Literal(header.Key)}, {v});");
            }

            deletionArguments = string.Join(", ", new[]
            {
                deletion.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                StaticTable.Literal(deletion.UserIdKey),
                StaticTable.Literal(deletion.IdsKey),
                "new[] { " + string.Join(", ", deletion.RequiredConfig.Select(StaticTable.Literal)) + " }",
                StaticTable.Literal(deletion.MissingConfigError),
                StaticTable.Literal(deletion.FailureError),
                "UserDeletionEndpoint",
                "UserDeletionHeaders",
            });
        }

        var view = new DestinationView
        {
            Namespace = model.Namespace,
            ClassName = model.ClassName,
            MapperClass = model.ClassName + "Mapper",
            LetsType = model.ClassName + "Lets",
            RelativePath = model.RelativePath,
            DestType = model.DestType,
            MaxRecordsPerBatch = model.Request.MaxRecordsPerBatch,
            RecordsKey = model.Request.RecordsKey,
            TypePath = statics.Path(model.MessageType.Path),
            MissingMessage = statics.Name(model.MessageType.MissingError),
            UnsupportedMessage = statics.Name(model.MessageType.UnsupportedError),
            TypeWhat = StaticTable.Literal(model.MessageType.Path + " must be a string"),
            Types = types,
            Lets = letViews,
            EndpointBody = endpointBody.ToText(baseIndent: 3),
            EndpointResult = endpoint,
            Method = statics.Name(model.Request.Method),
            HeadersBody = headers.ToText(baseIndent: 3),
            HasUserDeletion = model.UserDeletion is not null,
            DeletionArguments = deletionArguments,
            DeletionEndpointBody = deletionEndpoint.ToText(baseIndent: 3),
            DeletionEndpointResult = deletionEndpointResult,
            DeletionHeadersBody = deletionHeaders.ToText(baseIndent: 3),
        };
        view.Statics = statics.Declarations;
        view.LetStatics = letStatics.Declarations;
        return TemplateRenderer.Destination.Render(view);
    }
}
