using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// What the source generator produces for a destination from its mapping files: the event
/// dispatch (type and event rules → record mappers) and the request settings (method, endpoint,
/// headers, batch size). Everything else about the transformer protocol is in the runtime.
/// </summary>
public abstract class DestinationMapper
{
    /// <summary>The destination type as rudder-server names it (e.g. "CLEVERTAP").</summary>
    public abstract string DestType { get; }

    /// <summary><see cref="DestType"/> pre-encoded.</summary>
    public abstract JsName DestTypeName { get; }

    /// <summary>Most records one batched request may hold.</summary>
    public abstract int MaxRecordsPerBatch { get; }

    /// <summary>The payload key holding the records (<c>{"d": [...]}</c>).</summary>
    public abstract JsName RecordsKey { get; }

    /// <summary>How users are deleted, when the destination supports it (null otherwise).</summary>
    public virtual UserDeletionSettings? UserDeletion => null;

    /// <summary>Maps <see cref="EventContext.Message"/> into records; false when the event fails (see <see cref="EventContext.Error"/>).</summary>
    public abstract bool Map(EventContext context);

    /// <summary>
    /// The endpoint URL for this config (a heap value). May throw <see cref="Js.JsTypeError"/> on
    /// odd configs (D1), so callers compute it before writing a request.
    /// </summary>
    public abstract int Endpoint(JsHeap heap, int config);

    /// <summary>Writes the <c>method</c>, <c>endpoint</c> and <c>headers</c> members of a request for this config.</summary>
    public abstract void WriteRequestHead(Utf8JsonWriter writer, JsHeap heap, int config, int endpoint);
}
