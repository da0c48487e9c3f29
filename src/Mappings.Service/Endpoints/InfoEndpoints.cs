using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mappings.Runtime.Protocol;
using Mappings.Service.Hosting;
using Mappings.Service.Upstream;

namespace Mappings.Service.Endpoints;

/// <summary><c>GET /health</c> and <c>GET /features</c> (spec §10.1, §14.8).</summary>
internal sealed class InfoEndpoints
{
    private const string TextPlain = "text/plain; charset=utf-8";
    private static readonly byte[] Up = """{"service":"UP"}"""u8.ToArray();

    private readonly DestinationMapper _destination;
    private readonly UpstreamTransformer? _upstream;
    private readonly byte[] _features;

    public InfoEndpoints(DestinationMapper destination, bool hasDeletion, UpstreamTransformer? upstream)
    {
        _destination = destination;
        _upstream = upstream;
        var own = Merge(new JsonObject(), destination.DestType, hasDeletion);
        foreach (string flag in new[] { "supportSourceTransformV1", "supportTransformerProxyV1", "upgradedToSourceTransformV2", "supportDestTransformCompactedPayloadV1" })
        {
            own[flag] = true;
        }
        _features = Encoding.UTF8.GetBytes(own.ToJsonString());
        HasDeletion = hasDeletion;
    }

    private bool HasDeletion { get; }

    public Task HealthAsync(HttpContext context) => Responses.WriteAsync(context, 200, Up, apiVersion: false);

    /// <summary>
    /// The JSON text of the features object as <c>text/plain</c>. With an upstream transformer: its
    /// list with CLEVERTAP added (rudder-server then routes CleverTap through the router and
    /// deletion endpoints); when the upstream cannot answer, 502, so rudder-server keeps asking.
    /// </summary>
    public async Task FeaturesAsync(HttpContext context)
    {
        if (_upstream is null)
        {
            await Responses.WriteAsync(context, 200, _features, apiVersion: false, TextPlain).ConfigureAwait(false);
            return;
        }
        var answer = await _upstream.SendAsync(context, "GET", "/features", body: null).ConfigureAwait(false);
        JsonObject? features = null;
        if (answer.Answered && answer.Status == 200)
        {
            try
            {
                features = JsonNode.Parse(answer.Body) as JsonObject;
            }
            catch (JsonException)
            {
                features = null;
            }
        }
        if (features is null)
        {
            string why = answer.Answered ? $"answered HTTP {answer.Status} without a features object" : $"did not answer ({answer.FailureCode})";
            await Responses.WriteErrorAsync(context, 502, "The upstream transformer " + why).ConfigureAwait(false);
            return;
        }
        byte[] body = Encoding.UTF8.GetBytes(Merge(features, _destination.DestType, HasDeletion).ToJsonString());
        await Responses.WriteAsync(context, 200, body, apiVersion: false, TextPlain).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the destination to <c>routerTransform</c> and <c>regulations</c>. The upstream's protocol
    /// flags are left as they are: the requests they describe for other destinations go to it.
    /// </summary>
    private static JsonObject Merge(JsonObject features, string destType, bool hasDeletion)
    {
        if (features["routerTransform"] is not JsonObject router)
        {
            router = new JsonObject();
            features["routerTransform"] = router;
        }
        router[destType] = true;
        if (features["regulations"] is not JsonArray regulations)
        {
            regulations = new JsonArray();
            features["regulations"] = regulations;
        }
        if (hasDeletion && !regulations.Any(r => r is JsonValue v && v.TryGetValue(out string? s) && s == destType)) regulations.Add(destType);
        return features;
    }
}
