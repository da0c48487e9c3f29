using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;

namespace Mappings.CleverTap.Delivery;

/// <summary>What an outgoing request to CleverTap was for (the <c>feature</c> of its metrics).</summary>
public enum DeliveryPurpose : byte
{
    /// <summary>The delivery proxy (<c>/v0|v1/destinations/clevertap/proxy</c>).</summary>
    Proxy,
    /// <summary>A batch of a user deletion (<c>/deleteUsers</c>).</summary>
    Deletion,
}

/// <summary>
/// The ids of the job a proxy request delivers (the first job's <c>metadata</c>), for metrics
/// labels: <c>""</c> when absent; <see cref="Other"/> for a value that is not a string or is
/// longer than <see cref="MaxLength"/> bytes (a request cannot make label values without end).
/// </summary>
public sealed record JobIds(string DestinationId, string WorkspaceId, string SourceId)
{
    public const string Other = "other";
    public const int MaxLength = 128;

    public static readonly JobIds None = new("", "", "");

    /// <summary>The ids of a job's metadata object, or of the first element of a metadata array.</summary>
    public static JobIds Of(JsHeap heap, int metadata)
    {
        int ids = heap.TypeOf(metadata) == JsType.Array ? heap.ArrayElement(metadata, 0) : metadata;
        if (heap.TypeOf(ids) != JsType.Object) return None;
        return new JobIds(Id(heap, ids, "destinationId"u8), Id(heap, ids, "workspaceId"u8), Id(heap, ids, "sourceId"u8));
    }

    private static string Id(JsHeap heap, int ids, ReadOnlySpan<byte> key)
    {
        int value = Lookup.Property(heap, ids, key);
        return heap.TypeOf(value) switch
        {
            JsType.Undefined => "",
            JsType.String when heap.StringBytes(value).Length <= MaxLength => HeapText.Decode(heap.StringBytes(value)),
            _ => Other,
        };
    }
}

/// <summary>Told about every request to CleverTap that ended (metrics). Called on the request's own thread; must be quick and thread-safe.</summary>
public interface IDeliveryObserver
{
    /// <summary>
    /// The request ended with this result. <see cref="DeliveryResult.SendTime"/> is null when it
    /// was never sent (refused by the host policy, or its turn came too late).
    /// </summary>
    void Completed(OutgoingRequest request, DeliveryResult result);
}
