using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Examples;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Explain;

/// <summary>
/// Explains events: runs each processor request item through the processor transform — the one
/// <c>transform</c> and the service run — with the destination's traced mapping in place of its
/// mapping, then says where every field of the outcome came from and which fields the mapping
/// tried and left out. Not thread-safe; cold code (it allocates freely).
/// </summary>
public sealed class Explainer
{
    private readonly TracedDestination _destination;
    private readonly ProcessorTransformer _transformer;
    private readonly ByteBuffer _output = new();

    /// <param name="destination">A generated destination (it implements <see cref="ITracedDestination"/>).</param>
    public Explainer(DestinationMapper destination)
    {
        _destination = new TracedDestination(destination);
        _transformer = new ProcessorTransformer(_destination);
    }

    /// <summary>The limit of one event's output (D8), as for <c>transform</c>.</summary>
    public long MaxEventOutputBytes
    {
        get => _transformer.MaxEventOutputBytes;
        set => _transformer.MaxEventOutputBytes = value;
    }

    /// <summary>Explains one processor request item (<c>{message, metadata, destination}</c>, UTF-8).</summary>
    public Explanation Explain(ReadOnlySpan<byte> item)
    {
        _destination.Reset();
        _output.Clear();
        _transformer.TransformItem(item, _output);
        string entries = Encoding.UTF8.GetString(_output.WrittenSpan);
        string outcome = ProcessorOutcome.Text(_output.WrittenSpan, _destination.RecordsKey.Value);
        return Build(entries, outcome);
    }

    private Explanation Build(string entries, string outcome)
    {
        bool failed = outcome.StartsWith("{\"error\"", StringComparison.Ordinal);
        if (!_destination.Started)
        {
            return new Explanation
            {
                Entries = entries,
                OutcomeJson = outcome,
                Failure = new Failure(null, "the item was refused before its mapping ran"),
            };
        }

        MappingTrace trace = _destination.Trace;
        EventContext context = trace.Context;
        int type = context.Heap.Get(context.Message, "type"u8);
        var explanation = new Explanation
        {
            Entries = entries,
            OutcomeJson = outcome,
            Type = trace.Json(type),
            Rule = trace.ChosenRule is { } rule ? MappingEntry.Of(rule) : null,
            Mapping = trace.ChosenRule?.String("mapping"),
            Failure = failed ? Failure(trace, outcome) : null,
        };

        foreach (TraceNode node in trace.Dispatch)
        {
            if (node.Site.Kind == "rule" && ReferenceEquals(node.Site, trace.ChosenRule)) continue;
            if (failed && trace.Open.Contains(node)) continue;
            JsonElement? when = node.Site.Property("when");
            string result = when is null ? string.Empty : ValueDescriber.Tests(when.Value, node.Tests);
            explanation.Checks.Add(new Check(MappingEntry.Of(node.Site), node.Site.Kind == "rule" ? "did not match: " + result : "passed: " + result));
        }

        if (failed) return explanation;
        foreach (RecordTrace record in trace.Records)
        {
            if (!record.Added)
            {
                string reason = record.Site.Property("when") is { } when ? "condition false: " + ValueDescriber.Tests(when, record.Tests) : "not added";
                explanation.RecordsNotMade.Add(new LeftOutField(string.Empty, MappingEntry.Of(record.Site), reason));
                continue;
            }

            explanation.Records.Add(Explain(record));
        }

        return explanation;
    }

    /// <summary>Every final key of a record with its origin, and the fields tried and left out.</summary>
    private static RecordExplanation Explain(RecordTrace record)
    {
        var result = new RecordExplanation { Index = record.Index, Entry = MappingEntry.Of(record.Site) };
        var present = new HashSet<string>(record.Final.Select(f => f.Path), StringComparer.Ordinal);
        foreach (var (path, json) in record.Final)
        {
            TraceSite? rule = null;
            ValueOrigin origin = new();
            var steps = new List<string>();
            foreach (TraceNode node in record.Nodes)
            {
                switch (node)
                {
                    case FieldTrace { Written: true } field when field.Path == path:
                        rule = field.Site;
                        origin = field.Origin ?? new ValueOrigin();
                        steps.Clear();
                        break;
                    case StageTrace stage:
                        StageChange? change = stage.ChangeOf(path);
                        if (change?.After is null) break;
                        string kind = stage.Site.String("stage") ?? string.Empty;
                        if (kind is "customFields" or "assign")
                        {
                            rule = stage.Site;
                            origin = new ValueOrigin
                            {
                                From = change.From ?? string.Empty,
                                Detail = kind == "customFields"
                                    ? (change.Before is null ? "a custom field" : $"a custom field, replacing {ValueDescriber.Show(change.Before)}")
                                    : (change.Before is null ? "assigned" : $"assigned, replacing {ValueDescriber.Show(change.Before)}"),
                            };
                            steps.Clear();
                        }
                        else
                        {
                            steps.Add(kind switch
                            {
                                "stringifyValues" => $"sent as JSON text by stringifyValues ({stage.Site.At})",
                                "convert" => $"converted to unix seconds: {ValueDescriber.Show(change.Before)} → {ValueDescriber.Show(change.After)} ({stage.Site.At})",
                                "removeNulls" => $"cleaned by removeNulls ({stage.Site.At}): {ValueDescriber.Show(change.Before)} → {ValueDescriber.Show(change.After)}",
                                _ => $"changed by {stage.Site.At}",
                            });
                        }

                        break;
                }
            }

            if (rule is null) continue;
            origin.Steps.AddRange(steps.Where(s => !origin.Steps.Contains(s)));
            result.Fields.Add(new FieldExplanation(path, json, MappingEntry.Of(rule), Group(rule), origin));
        }

        // Fields tried and left out: skipped, nothing to write, or removed afterwards.
        foreach (TraceNode node in record.Nodes)
        {
            switch (node)
            {
                case FieldTrace field when field.Site.Kind == "field" && !field.Written:
                {
                    string reason = field.Skipped
                        ? "condition false: " + (field.Site.Property("when") is { } when ? ValueDescriber.Tests(when, field.Tests) : "not tested")
                        : NothingToWrite(field);
                    if (present.Contains(field.Path)) reason += $" ({field.Path} is written by another rule)";
                    result.LeftOut.Add(new LeftOutField(field.Path, MappingEntry.Of(field.Site), reason, Group(field.Site)));
                    break;
                }

                case StageTrace stage:
                    foreach (StageChange change in stage.Changes.Where(c => c.After is null && !present.Contains(c.Path)))
                    {
                        string kind = stage.Site.String("stage") ?? string.Empty;
                        string what = kind == "removeNulls" ? $"removed as null by removeNulls: the value was {ValueDescriber.Show(change.Before)}" : $"removed by {kind}";
                        result.LeftOut.Add(new LeftOutField(change.Path, MappingEntry.Of(stage.Site), what + WrittenBy(record, change.Path, stage)));
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>Who wrote a key before a stage removed it.</summary>
    private static string WrittenBy(RecordTrace record, string path, StageTrace before)
    {
        foreach (TraceNode node in record.Nodes.Where(n => n.Sequence < before.Sequence).Reverse())
        {
            if (node is FieldTrace { Written: true } f && f.Path == path) return $" (written by {f.Site.At})";
            if (node is StageTrace s && s.WriteOf(path) is { } c)
            {
                return $" (written by {s.Site.At}{(c.From is null ? string.Empty : " from " + c.From)})";
            }
        }

        return string.Empty;
    }

    private static string NothingToWrite(FieldTrace field)
    {
        ValueOrigin origin = field.Origin ?? new ValueOrigin();
        string why = (field.Site.String("emit") ?? "valid") switch
        {
            "defined" => "the value is undefined",
            "present" => $"the value is {ValueDescriber.Show(field.Final)}, not written (emit: present)",
            _ => $"no V-valid value ({ValueDescriber.Show(field.Final)})",
        };
        string how = origin.Detail.Length > 0 ? origin.Detail : origin.From;
        string steps = origin.Steps.Count > 0 ? "; " + string.Join("; ", origin.Steps) : string.Empty;
        return how.Length > 0 ? $"{why}: {how}{steps}" : why + steps;
    }

    /// <summary>The field group a rule comes from, and where the mapping uses it.</summary>
    private static string? Group(TraceSite site) =>
        site.Property("group") is { } group
            ? $"{group.GetProperty("name").GetString()}, used at {group.GetProperty("usedAt").GetString()}"
            : null;

    private static Failure Failure(MappingTrace trace, string outcome)
    {
        string message = ErrorMessage(outcome);
        TraceNode? open = trace.Open.LastOrDefault(n => n is not RecordTrace);
        if (open is null)
        {
            // Nothing but a record open (its condition threw: a JsTypeError), or the dispatch's own checks.
            if (trace.Open.LastOrDefault() is RecordTrace record)
            {
                string tests = record.Site.Property("when") is { } when && record.Tests.Count > 0 ? " (" + ValueDescriber.Tests(when, record.Tests) + ")" : string.Empty;
                return new Failure(MappingEntry.Of(record.Site), $"its condition failed the event: {message}{tests}");
            }

            if (trace.DispatchAt is { } at)
            {
                string reason = at.Kind switch
                {
                    "messageType" => $"the type is {ValueDescriber.Show(trace.Json(trace.Heap.Get(trace.Context.Message, System.Text.Encoding.UTF8.GetBytes(at.Path))))}: {message}",
                    "config" => $"the destination has no Config: {message}",
                    _ => message,
                };
                return new Failure(MappingEntry.Of(at), reason);
            }

            return new Failure(trace.ChosenRule is { } rule ? MappingEntry.Of(rule) : null, message);
        }

        string because = open.Site.Kind switch
        {
            "fail" => open.Site.Property("when") is { } when ? "the fail entry's condition holds: " + ValueDescriber.Tests(when, open.Tests) : "the fail entry always fails",
            _ when open is FieldTrace { Site: var s } f && s.Property("required") is not null && f.Raw is null or "null" or "\"\"" =>
                "the value is required and not V-valid" + (f.Origin is { } o ? ": " + (o.Detail.Length > 0 ? o.Detail : o.From) : string.Empty),
            _ => message.Length > 0 ? "this entry failed it: " + message : "this entry failed it",
        };
        return new Failure(MappingEntry.Of(open.Site), because);
    }

    /// <summary>The error message of an outcome (<c>{"error": {"message": …}}</c>), cut; empty when it has none.</summary>
    private static string ErrorMessage(string outcome)
    {
        using JsonDocument document = JsonDocument.Parse(outcome, ProcessorOutcome.DocumentOptions);
        if (!document.RootElement.TryGetProperty("error", out JsonElement error) || !error.TryGetProperty("message", out JsonElement message)) return string.Empty;
        string text;
        try
        {
            text = message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText();
        }
        catch (InvalidOperationException)
        {
            text = message.GetRawText();
        }

        return Explanation.Cut(text);
    }
}
