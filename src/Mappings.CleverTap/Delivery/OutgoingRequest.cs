using Mappings.Runtime.Http;
namespace Mappings.CleverTap.Delivery;

/// <summary>One HTTP request for CleverTap, built from a proxy request or a deletion batch.</summary>
public sealed record OutgoingRequest
{
    public required string Method { get; init; }

    public required Uri Url { get; init; }

    /// <summary>Header names and values in the order they are sent (no Content-Length: it is computed).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body, or null for none.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>
    /// The account whose turn the request waits for (D3): the <c>X-CleverTap-Account-Id</c>
    /// value, empty when there is none.
    /// </summary>
    public string Account { get; init; } = "";

    /// <summary>What the request is for (metrics).</summary>
    public DeliveryPurpose Purpose { get; init; }

    /// <summary>The ids of the job it delivers, when known (metrics).</summary>
    public JobIds Ids { get; init; } = JobIds.None;
}

/// <summary>What became of a request: CleverTap's answer, a transport failure, or a refusal (D5).</summary>
public sealed class DeliveryResult
{
    private DeliveryResult(int status, byte[] body, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> headers, TransportFailure? failure, string? refusal)
    {
        Status = status;
        Body = body;
        Headers = headers;
        Failure = failure;
        Refusal = refusal;
    }

    /// <summary>The HTTP status of the answer (0 when there is none).</summary>
    public int Status { get; }

    /// <summary>The answer's body bytes (empty when there is none).</summary>
    public byte[] Body { get; }

    /// <summary>The answer's headers, names lower-cased, in the order received.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Headers { get; }

    /// <summary>Set when no HTTP answer came (spec §8.2).</summary>
    public TransportFailure? Failure { get; }

    /// <summary>Set when the URL was not allowed and nothing was sent (D5).</summary>
    public string? Refusal { get; }

    public bool Answered => Failure is null && Refusal is null;

    /// <summary>How long the request took from the moment it was sent (redirects included); null when it was not sent.</summary>
    public TimeSpan? SendTime { get; internal set; }

    public static DeliveryResult Answer(int status, byte[] body, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> headers) =>
        new(status, body, headers, null, null);

    public static DeliveryResult Failed(TransportFailure failure) => new(0, [], [], failure, null);

    public static DeliveryResult Refused(string refusal) => new(0, [], [], null, refusal);
}
