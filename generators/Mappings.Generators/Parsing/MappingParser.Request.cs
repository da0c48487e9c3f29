using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// Request settings: the request, its headers, and the user deletion (computed from $config and constants).
internal static partial class MappingParser
{
    private static RequestSpec? ParseRequest(FileContext file, JObject node)
    {
        using ObjectReader r = file.Read(node, "the request section", "method", "endpoint", "headers", "recordsKey", "maxRecordsPerBatch");
        string? method = r.RequiredString("method", "Give the HTTP method, e.g. \"POST\".");
        ValueExpr? endpoint = null;
        if (r.Object("endpoint") is { } e)
        {
            endpoint = ParseValueObject(file, e, Scope.Request, "the endpoint", objectPlace: "as the endpoint");
        }
        else if (!r.Has("endpoint"))
        {
            r.Missing("endpoint", "Give the URL: {\"const\": \"https://…\"} or cases on $config.");
        }

        EquatableArray<FieldSpec> headers = ParseHeaders(file, r);
        string? recordsKey = r.RequiredString("recordsKey", "Name the payload key that holds the records, e.g. \"d\".");
        int maxRecords = 1;
        if (r.Value("maxRecordsPerBatch") is { } m)
        {
            if (m is JNumber n && n.Value >= 1 && n.Value <= 1_000_000 && n.Value == System.Math.Floor(n.Value))
            {
                maxRecords = (int)n.Value;
            }
            else if (m is JNumber bad)
            {
                file.Report(DiagnosticDescriptors.InvalidValue, m.Span, bad.Text, "maxRecordsPerBatch", "a whole number from 1 to 1000000");
            }
            else
            {
                file.WrongType("maxRecordsPerBatch", m, "a whole number from 1 to 1000000");
            }
        }
        else
        {
            r.Missing("maxRecordsPerBatch", "Give the most records one batched request may hold.");
        }

        return method is null || endpoint is null || recordsKey is null ? null : new RequestSpec(method, endpoint, headers, recordsKey, maxRecords)
            {
                EndpointSource = file.Source(r.Property("endpoint")!),
                MethodSource = file.Source(r.Property("method")!),
                RecordsKeySource = file.Source(r.Property("recordsKey")!),
                MaxRecordsPerBatchSource = r.Property("maxRecordsPerBatch") is { } max ? file.Source(max) : null,
            };
    }

    private static UserDeletionSpec? ParseUserDeletion(FileContext file, JObject node)
    {
        using ObjectReader r = file.Read(
            node, "the userDeletion section",
            "endpoint", "headers", "requiredConfig", "missingConfigError", "userIdKey", "batchSize", "idsKey", "failureError");
        ValueExpr? endpoint = null;
        if (r.Object("endpoint") is { } e)
        {
            endpoint = ParseValueObject(file, e, Scope.Request, "the deletion endpoint", objectPlace: "as the deletion endpoint");
        }
        else if (!r.Has("endpoint"))
        {
            r.Missing("endpoint", "Give the URL deletion requests go to.");
        }

        EquatableArray<FieldSpec> headers = ParseHeaders(file, r);
        var required = (r.Strings("requiredConfig") ?? ImmutableArray<(string, TextSpan)>.Empty).Select(x => x.Item1).ToImmutableArray();
        string? missing = r.RequiredString("missingConfigError", "Give the 400 message for a config without the required keys.");
        string? userIdKey = r.RequiredString("userIdKey", "Name the key of each user attribute entry holding the id, e.g. \"userId\".");
        string? idsKey = r.RequiredString("idsKey", "Name the body key holding the ids, e.g. \"identity\".");
        string? failure = r.RequiredString("failureError", "Give the message of a failed deletion request.");
        int batchSize = 0;
        if (r.Value("batchSize") is JNumber n && n.Value >= 1 && n.Value <= 100_000 && n.Value == System.Math.Floor(n.Value))
        {
            batchSize = (int)n.Value;
        }
        else if (r.Value("batchSize") is JNumber badNumber)
        {
            file.Report(DiagnosticDescriptors.InvalidValue, badNumber.Span, badNumber.Text, "batchSize", "a whole number from 1 to 100000");
        }
        else if (r.Value("batchSize") is { } bad)
        {
            file.WrongType("batchSize", bad, "a whole number from 1 to 100000");
        }
        else
        {
            r.Missing("batchSize", "Give the most ids one deletion request may hold.");
        }

        return endpoint is null || missing is null || userIdKey is null || idsKey is null || failure is null || batchSize == 0
            ? null
            : new UserDeletionSpec(endpoint, headers, required, missing, userIdKey, batchSize, idsKey, failure) { EndpointSource = file.Source(r.Property("endpoint")!) };
    }

    /// <summary>
    /// The <c>headers</c> of a request or of the user deletion: plain fields computed from the config.
    /// The code written for them applies a header's key, value source and <c>emit</c> only
    /// (Emitting/DestinationEmitter), so anything else is reported rather than silently ignored.
    /// </summary>
    private static EquatableArray<FieldSpec> ParseHeaders(FileContext file, ObjectReader owner)
    {
        EquatableArray<FieldSpec> headers = ParseFieldList(file, owner, "headers", Scope.Request);
        if (owner.Value("headers") is not JArray headerNodes)
        {
            return headers;
        }

        foreach (JNode item in headerNodes.Items)
        {
            if (item is not JObject header)
            {
                continue;
            }

            if ((header.Find("use") ?? header.Find("fail")) is { } entry)
            {
                file.Report(DiagnosticDescriptors.NotAppliedToHeaders, entry.NameSpan, "A '" + entry.Name + "' entry");
                continue;
            }

            foreach (JProperty p in header.Properties)
            {
                if (System.Array.IndexOf(UnappliedHeaderProperties, p.Name) >= 0)
                {
                    file.Report(DiagnosticDescriptors.NotAppliedToHeaders, p.NameSpan, "'" + p.Name + "'");
                }
            }
        }

        return headers;
    }

    /// <summary>Field properties a header may not have: the request head does not apply them.</summary>
    private static readonly string[] UnappliedHeaderProperties = { "when", "valueMap", "default", "required", "stringifyValues", "convert" };
}
