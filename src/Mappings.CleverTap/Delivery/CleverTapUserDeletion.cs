using System.Buffers;
using System.Text.Json;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Http;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;

namespace Mappings.CleverTap.Delivery;

/// <summary>The result of one deletion request entry: success, or a status and message (spec §9).</summary>
public readonly record struct DeletionOutcome(int StatusCode, string? Error)
{
    public static readonly DeletionOutcome Successful = new(200, null);

    public bool Succeeded => Error is null;

    private static readonly JsonEncodedText StatusCodeName = JsonEncodedText.Encode("statusCode");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText SuccessfulText = JsonEncodedText.Encode("successful");

    /// <summary><c>{"statusCode": 200, "status": "successful"}</c> or <c>{"statusCode": s, "error": message}</c>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber(StatusCodeName, StatusCode);
        if (Error is null)
        {
            writer.WriteString(StatusName, SuccessfulText);
        }
        else
        {
            writer.WritePropertyName(ErrorName);
            writer.WriteJsStringValue(Error);
        }
        writer.WriteEndObject();
    }
}

/// <summary>
/// What one deletion entry will do, read from the request heap before anything is sent (so the
/// entries of a request can then run concurrently without touching the heap): the error it fails
/// with, or the URL, headers and the bodies of its batches.
/// </summary>
public sealed class DeletionPlan
{
    internal DeletionOutcome? Early { get; init; }
    internal Uri? Url { get; init; }
    internal IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    internal IReadOnlyList<byte[]> Batches { get; init; } = [];
    internal string Account { get; init; } = "";
}

/// <summary>
/// User deletion (spec §9, settings from the mapping's <c>userDeletion</c> section): user ids from
/// <c>userAttributes[].userId</c>, sent in batches one after another, stopping at the first failure.
/// Requests wait for their account's turn (D3); <see cref="DeliveryOptions.DeletionBaseUrl"/>
/// replaces the region's host. A missing <c>config</c> is a 400 with a clear message (D1).
/// </summary>
public sealed class CleverTapUserDeletion
{
    private static ReadOnlySpan<byte> UserAttributesKey => "userAttributes"u8;
    private static ReadOnlySpan<byte> ConfigKey => "config"u8;

    private readonly UserDeletionSettings _settings;
    private readonly DeliveryClient _client;
    private readonly DeliveryHostPolicy _policy;
    private readonly byte[] _userIdKey;
    private readonly byte[][] _requiredConfig;
    private readonly JsonEncodedText _idsKey;
    private readonly byte[] _accountKey;

    public CleverTapUserDeletion(UserDeletionSettings settings, DeliveryClient client)
    {
        _settings = settings;
        _client = client;
        var hosts = new List<string>(client.Options.AllowedHosts);
        if (client.Options.DeletionBaseUrl is { } baseUrl) hosts.Add(baseUrl.Host);
        _policy = new DeliveryHostPolicy(hosts);
        _userIdKey = System.Text.Encoding.UTF8.GetBytes(settings.UserIdKey);
        _requiredConfig = settings.RequiredConfig.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        _idsKey = JsonEncodedText.Encode(settings.IdsKey);
        _accountKey = _requiredConfig.Length > 0 ? _requiredConfig[0] : "accountId"u8.ToArray();
    }

    /// <summary>Reads one entry (<c>{destType, userAttributes, config}</c>) into a plan. Not thread-safe (the heap).</summary>
    public DeletionPlan Plan(JsHeap heap, int entry)
    {
        int attributes = heap.GetOwn(entry, UserAttributesKey);
        if (heap.TypeOf(attributes) != JsType.Array) return Fail(400, "userAttributes is not an array");
        int config = heap.GetOwn(entry, ConfigKey);
        if (heap.IsNullish(config)) return Fail(400, "The deletion request has no config: config.accountId and config.passcode are required");
        foreach (byte[] key in _requiredConfig)
        {
            if (!heap.IsTruthy(Lookup.Property(heap, config, key))) return Fail(400, _settings.MissingConfigError);
        }

        var ids = new List<int>();
        int count = heap.ArrayLength(attributes);
        for (int i = 0; i < count; i++)
        {
            int attribute = heap.ArrayElement(attributes, i);
            if (heap.IsNullish(attribute)) return Fail(400, $"userAttributes[{i}] is {(attribute == JsHeap.Null ? "null" : "missing")}: each entry must be an object");
            int id = Lookup.Property(heap, attribute, _userIdKey);
            if (heap.IsTruthy(id) && !heap.IsFunction(id)) ids.Add(id);
        }

        string endpoint;
        var headers = new List<KeyValuePair<string, string>>();
        string account;
        try
        {
            endpoint = HeapText.ToJsString(heap, _settings.Endpoint(heap, config), "the deletion endpoint");
            _settings.Headers(heap, config, (name, value) => headers.Add(new(name, HeapText.ToJsString(heap, value, name))));
            account = HeapText.ToJsString(heap, Lookup.Property(heap, config, _accountKey), "config.accountId");
        }
        catch (JsTypeError e)
        {
            return Fail(400, e.Message);
        }

        var batches = new List<byte[]>();
        for (int start = 0; start < ids.Count; start += _settings.BatchSize)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, JsonWriterExtensions.Options))
            {
                writer.WriteStartObject();
                writer.WritePropertyName(_idsKey);
                writer.WriteStartArray();
                for (int i = start; i < Math.Min(ids.Count, start + _settings.BatchSize); i++) heap.WriteValue(writer, ids[i]);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            batches.Add(buffer.WrittenSpan.ToArray());
        }
        return new DeletionPlan { Url = Url(endpoint), Headers = headers, Batches = batches, Account = account };
    }

    /// <summary>Sends the plan's batches one after another; the first failure ends the entry.</summary>
    public async Task<DeletionOutcome> ExecuteAsync(DeletionPlan plan, CancellationToken aborted)
    {
        if (plan.Early is { } early) return early;
        if (plan.Batches.Count == 0) return DeletionOutcome.Successful; // no user ids: nothing to send
        if (plan.Url is null) return new DeletionOutcome(TransportFailure.InvalidUrl.Status, _settings.FailureError);
        foreach (byte[] batch in plan.Batches)
        {
            var request = new OutgoingRequest { Method = "POST", Url = plan.Url, Headers = plan.Headers, Body = batch, Account = plan.Account, Purpose = DeliveryPurpose.Deletion };
            var result = await _client.SendAsync(request, _policy, aborted).ConfigureAwait(false);
            if (result.Refusal is { } refusal) return new DeletionOutcome(400, refusal);
            if (result.Failure is { } failure) return new DeletionOutcome(failure.Status, _settings.FailureError);
            if (result.Status is < 200 or > 299) return new DeletionOutcome(result.Status, _settings.FailureError);
        }
        return DeletionOutcome.Successful;
    }

    /// <summary>The endpoint, or the same path under <see cref="DeliveryOptions.DeletionBaseUrl"/>; null when it is no URL.</summary>
    private Uri? Url(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return null;
        if (_client.Options.DeletionBaseUrl is not { } baseUrl) return uri;
        string prefix = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return Uri.TryCreate(prefix + uri.PathAndQuery, UriKind.Absolute, out var moved) ? moved : null;
    }

    private static DeletionPlan Fail(int status, string message) => new() { Early = new DeletionOutcome(status, message) };
}
