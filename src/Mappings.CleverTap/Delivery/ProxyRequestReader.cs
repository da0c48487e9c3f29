using System.IO.Compression;
using System.Text;
using Mappings.Runtime.Http;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;

namespace Mappings.CleverTap.Delivery;

/// <summary>
/// Turns a proxy request (<c>{endpoint, method, headers, params, body: {JSON, JSON_ARRAY, XML, FORM, GZIP}}</c>,
/// already parsed into a heap) into the HTTP request the reference's axios call would send
/// (spec §8.1): the endpoint with <c>params</c> as its query string, the request's headers plus
/// <c>User-Agent: RudderLabs</c>, and the body of the last non-empty format.
/// </summary>
internal static class ProxyRequestReader
{
    private static ReadOnlySpan<byte> EndpointKey => "endpoint"u8;
    private static ReadOnlySpan<byte> MethodKey => "method"u8;
    private static ReadOnlySpan<byte> HeadersKey => "headers"u8;
    private static ReadOnlySpan<byte> ParamsKey => "params"u8;
    private static ReadOnlySpan<byte> BodyKey => "body"u8;
    private static ReadOnlySpan<byte> BatchKey => "batch"u8;
    private static ReadOnlySpan<byte> PayloadKey => "payload"u8;

    public const string AccountHeader = "X-CleverTap-Account-Id";

    /// <summary>
    /// The request to send, or (in <paramref name="early"/>) the outcome without sending: a refused
    /// endpoint (D5) or a request Node could not have sent (invalid method or header).
    /// </summary>
    public static OutgoingRequest? Read(JsHeap heap, int root, DeliveryHostPolicy policy, out DeliveryResult? early)
    {
        early = null;
        int endpoint = heap.GetOwn(root, EndpointKey);
        if (heap.TypeOf(endpoint) != JsType.String)
        {
            early = DeliveryResult.Refused("Delivery refused: the request has no endpoint URL");
            return null;
        }
        string url;
        string method;
        var headers = new List<KeyValuePair<string, string>>();
        try
        {
            url = WithParams(HeapText.Decode(heap.StringBytes(endpoint)), heap, heap.GetOwn(root, ParamsKey));
            int m = heap.GetOwn(root, MethodKey);
            method = heap.IsNullish(m) ? "GET" : HeapText.ToJsString(heap, m, "method").ToUpperInvariant();
            ReadHeaders(heap, heap.GetOwn(root, HeadersKey), headers);
        }
        catch (JsTypeError)
        {
            early = DeliveryResult.Failed(TransportFailure.InvalidHeader);
            return null;
        }

        string? refusal = policy.Refusal(url);
        if (refusal is not null)
        {
            early = DeliveryResult.Refused(refusal);
            return null;
        }

        byte[]? data = ReadBody(heap, heap.GetOwn(root, BodyKey), headers);
        string account = "";
        foreach (var h in headers)
        {
            if (h.Key.Equals(AccountHeader, StringComparison.OrdinalIgnoreCase))
            {
                account = h.Value;
                break;
            }
        }
        return new OutgoingRequest
        {
            Method = method,
            Url = new Uri(url, UriKind.Absolute),
            Headers = headers,
            Body = data,
            Account = account,
        };
    }

    // ------------------------------------------------------------------ headers

    private static void ReadHeaders(JsHeap heap, int value, List<KeyValuePair<string, string>> headers)
    {
        if (heap.TypeOf(value) == JsType.Object)
        {
            var keys = heap.Keys(value);
            try
            {
                for (int i = 0; i < keys.Count; i++)
                {
                    int member = heap.KeyMember(in keys, i);
                    string name = HeapText.Decode(heap.KeyBytes(heap.MemberKey(member)));
                    int v = heap.MemberValue(member);
                    // axios drops headers whose value is undefined, null or false; the User-Agent is its own.
                    if (heap.IsNullish(v) || v == JsHeap.False || heap.IsFunction(v)) continue;
                    if (name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)) continue;
                    if (heap.TypeOf(v) == JsType.Array)
                    {
                        int n = heap.ArrayLength(v);
                        for (int e = 0; e < n; e++)
                        {
                            int element = heap.ArrayElement(v, e);
                            if (!heap.IsNullish(element)) headers.Add(new(name, HeapText.ToJsString(heap, element, "a header value")));
                        }
                    }
                    else
                    {
                        headers.Add(new(name, HeapText.ToJsString(heap, v, "a header value")));
                    }
                }
            }
            finally
            {
                heap.EndKeys(in keys);
            }
        }
        headers.Add(new("User-Agent", "RudderLabs"));
    }

    private static bool HasHeader(List<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var h in headers)
        {
            if (h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ query string (axios buildURL)

    private static string WithParams(string url, JsHeap heap, int parameters)
    {
        if (heap.TypeOf(parameters) != JsType.Object) return url;
        var query = new StringBuilder();
        var keys = heap.Keys(parameters);
        try
        {
            for (int i = 0; i < keys.Count; i++)
            {
                int member = heap.KeyMember(in keys, i);
                string key = HeapText.Decode(heap.KeyBytes(heap.MemberKey(member)));
                int v = heap.MemberValue(member);
                if (heap.IsNullish(v) || heap.IsFunction(v)) continue;
                if (heap.TypeOf(v) == JsType.Array)
                {
                    int n = heap.ArrayLength(v);
                    for (int e = 0; e < n; e++)
                    {
                        int element = heap.ArrayElement(v, e);
                        if (!heap.IsNullish(element)) AppendPair(query, key + "[]", ParamText(heap, element));
                    }
                }
                else
                {
                    AppendPair(query, key, ParamText(heap, v));
                }
            }
        }
        finally
        {
            heap.EndKeys(in keys);
        }
        if (query.Length == 0) return url;
        int hash = url.IndexOf('#');
        if (hash >= 0) url = url[..hash];
        return url + (url.Contains('?') ? '&' : '?') + query;
    }

    private static string ParamText(JsHeap heap, int value)
    {
        if (heap.IsContainer(value))
        {
            var buffer = heap.RentBuffer();
            try
            {
                heap.Stringify(value, buffer);
                return HeapText.Decode(buffer.WrittenSpan);
            }
            finally
            {
                heap.ReturnBuffer();
            }
        }
        return HeapText.ToJsString(heap, value, "a query parameter");
    }

    private static void AppendPair(StringBuilder query, string key, string value)
    {
        if (query.Length > 0) query.Append('&');
        AppendAxiosEncoded(query, key);
        query.Append('=');
        AppendAxiosEncoded(query, value);
    }

    /// <summary>axios' <c>encode</c>: encodeURIComponent, then <c>: $ , [ ]</c> kept and spaces as <c>+</c>.</summary>
    private static void AppendAxiosEncoded(StringBuilder output, string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')' or ':' or '$' or ',' or '[' or ']')
            {
                output.Append(c);
            }
            else if (c == ' ')
            {
                output.Append('+');
            }
            else
            {
                output.Append('%').Append(((int)b).ToString("X2"));
            }
        }
    }

    // ------------------------------------------------------------------ body

    /// <summary>The bytes of the last non-empty body format (lodash <c>isEmpty</c>), with its content type.</summary>
    private static byte[]? ReadBody(JsHeap heap, int body, List<KeyValuePair<string, string>> headers)
    {
        if (heap.TypeOf(body) != JsType.Object) return null;
        int payload = JsHeap.Undefined;
        int formatMember = -1;
        var keys = heap.Keys(body);
        for (int i = 0; i < keys.Count; i++)
        {
            int member = heap.KeyMember(in keys, i);
            int v = heap.MemberValue(member);
            if (!IsEmpty(heap, v))
            {
                payload = v;
                formatMember = member;
            }
        }
        heap.EndKeys(in keys);
        if (formatMember < 0) return null;

        var format = heap.KeyBytes(heap.MemberKey(formatMember));
        byte[]? data;
        string contentType;
        if (format.SequenceEqual("JSON"u8))
        {
            data = JsonBytes(heap, payload);
            contentType = "application/json";
        }
        else if (format.SequenceEqual("JSON_ARRAY"u8))
        {
            data = JsonBytes(heap, Lookup.Property(heap, payload, BatchKey));
            contentType = "application/json";
        }
        else if (format.SequenceEqual("XML"u8))
        {
            data = JsonBytes(heap, Lookup.Property(heap, payload, PayloadKey));
            contentType = "application/xml";
        }
        else if (format.SequenceEqual("FORM"u8))
        {
            data = FormBytes(heap, payload);
            contentType = "application/x-www-form-urlencoded";
        }
        else if (format.SequenceEqual("GZIP"u8))
        {
            byte[]? plain = JsonBytes(heap, Lookup.Property(heap, payload, PayloadKey));
            data = plain is null ? null : Gzip(plain);
            contentType = "application/json";
            if (data is not null && !HasHeader(headers, "Content-Encoding")) headers.Add(new("Content-Encoding", "gzip"));
        }
        else
        {
            return null; // a format the reference does not know: sent without a body
        }
        if (data is not null && !HasHeader(headers, "Content-Type")) headers.Add(new("Content-Type", contentType));
        return data;
    }

    /// <summary>lodash <c>isEmpty</c>: only non-empty strings, arrays and objects count.</summary>
    private static bool IsEmpty(JsHeap heap, int value) => heap.TypeOf(value) switch
    {
        JsType.String => heap.StringBytes(value).Length == 0,
        JsType.Array => heap.ArrayLength(value) == 0,
        JsType.Object => HasNoKeys(heap, value),
        _ => true,
    };

    private static bool HasNoKeys(JsHeap heap, int value)
    {
        var keys = heap.Keys(value);
        bool none = keys.Count == 0;
        heap.EndKeys(in keys);
        return none;
    }

    /// <summary>A string as its text, anything else as JSON (axios); nothing for undefined.</summary>
    private static byte[]? JsonBytes(JsHeap heap, int value)
    {
        if (value == JsHeap.Undefined || heap.IsFunction(value)) return null;
        if (heap.TypeOf(value) == JsType.String) return HeapText.Utf8Bytes(heap, value);
        var buffer = heap.RentBuffer();
        try
        {
            heap.Stringify(value, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            heap.ReturnBuffer();
        }
    }

    /// <summary><c>new URLSearchParams()</c> filled with each key and its value (objects as JSON), serialised.</summary>
    private static byte[] FormBytes(JsHeap heap, int payload)
    {
        var form = new StringBuilder();
        var keys = heap.Keys(payload);
        try
        {
            for (int i = 0; i < keys.Count; i++)
            {
                int member = heap.KeyMember(in keys, i);
                string key = HeapText.Decode(heap.KeyBytes(heap.MemberKey(member)));
                int v = heap.MemberValue(member);
                string text = heap.IsContainer(v) ? Encoding.UTF8.GetString(JsonBytes(heap, v) ?? []) : HeapText.ToJsString(heap, v, "a form value");
                if (form.Length > 0) form.Append('&');
                AppendFormEncoded(form, key);
                form.Append('=');
                AppendFormEncoded(form, text);
            }
        }
        catch (JsTypeError)
        {
            // A value JavaScript cannot turn into text: the form is sent with what came before it.
        }
        finally
        {
            heap.EndKeys(in keys);
        }
        return Encoding.UTF8.GetBytes(form.ToString());
    }

    private static void AppendFormEncoded(StringBuilder output, string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '*' or '-' or '.' or '_') output.Append(c);
            else if (c == ' ') output.Append('+');
            else output.Append('%').Append(((int)b).ToString("X2"));
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return stream.ToArray();
    }
}
