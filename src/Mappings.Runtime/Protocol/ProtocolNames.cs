using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>Pre-encoded names of the transformer protocol (processor and router responses).</summary>
public static class ProtocolNames
{
    public static readonly JsName Version = JsName.Of("version");
    public static readonly JsName One = JsName.Of("1");
    public static readonly JsName Type = JsName.Of("type");
    public static readonly JsName Rest = JsName.Of("REST");
    public static readonly JsName Method = JsName.Of("method");
    public static readonly JsName Endpoint = JsName.Of("endpoint");
    public static readonly JsName Headers = JsName.Of("headers");
    public static readonly JsName Params = JsName.Of("params");
    public static readonly JsName Body = JsName.Of("body");
    public static readonly JsName Json = JsName.Of("JSON");
    public static readonly JsName JsonArray = JsName.Of("JSON_ARRAY");
    public static readonly JsName Xml = JsName.Of("XML");
    public static readonly JsName Form = JsName.Of("FORM");
    public static readonly JsName Files = JsName.Of("files");
    public static readonly JsName UserId = JsName.Of("userId");
    public static readonly JsName Batched = JsName.Of("batched");
    public static readonly JsName BatchedRequest = JsName.Of("batchedRequest");
    public static readonly JsName Output = JsName.Of("output");
    public static readonly JsName Metadata = JsName.Of("metadata");
    public static readonly JsName StatusCode = JsName.Of("statusCode");
    public static readonly JsName Error = JsName.Of("error");
    public static readonly JsName StatTags = JsName.Of("statTags");
    public static readonly JsName Destination = JsName.Of("destination");
    public static readonly JsName ErrorCategory = JsName.Of("errorCategory");
    public static readonly JsName ErrorType = JsName.Of("errorType");
    public static readonly JsName DestType = JsName.Of("destType");
    public static readonly JsName Module = JsName.Of("module");
    public static readonly JsName Implementation = JsName.Of("implementation");
    public static readonly JsName Feature = JsName.Of("feature");
    public static readonly JsName DestinationId = JsName.Of("destinationId");
    public static readonly JsName WorkspaceId = JsName.Of("workspaceId");
    public static readonly JsName DataValidation = JsName.Of("dataValidation");
    public static readonly JsName Instrumentation = JsName.Of("instrumentation");
    public static readonly JsName Configuration = JsName.Of("configuration");
    public static readonly JsName Transformation = JsName.Of("transformation");
    public static readonly JsName DestinationModule = JsName.Of("destination");
    public static readonly JsName Native = JsName.Of("native");
    public static readonly JsName Processor = JsName.Of("processor");
    public static readonly JsName Router = JsName.Of("router");
    public static readonly JsName Empty = JsName.Of("");
    public static readonly JsName MessageKey = JsName.Of("message");
    public static readonly JsName ConfigKey = JsName.Of("Config");
    public static readonly JsName HasDynamicConfig = JsName.Of("hasDynamicConfig");
    public static readonly JsName ProtoError = JsName.Of("Object contains forbidden prototype property");

    /// <summary>D7: an item nested too deep (counted from the item) fails alone with this message.</summary>
    public static readonly JsName TooDeepError = JsName.Of("The request item is nested more than 1000 levels deep");
}
