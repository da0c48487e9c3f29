using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// The output limits of the deliberate differences D8 and D11 (spec/README.md): their defaults,
/// the error texts callers see, and the smallest answer an item can get (to refuse, before any
/// work, a request whose answer cannot fit).
/// </summary>
public static class Limits
{
    /// <summary>D8: the entries of one event take at most 64 MiB (<c>MAX_EVENT_OUTPUT_MB</c>).</summary>
    public const long DefaultMaxEventOutputBytes = 64L * 1024 * 1024;

    /// <summary>D11: a processor or router answer takes at most 512 MiB (<c>MAX_RESPONSE_MB</c>).</summary>
    public const long DefaultMaxResponseBytes = 512L * 1024 * 1024;

    /// <summary>
    /// The highest event limit that can be set, in MiB: below the longest name or string the JSON
    /// writer takes (166,666,666 bytes), so an output it cannot write is always over the limit.
    /// </summary>
    public const int MaxEventOutputMegabytes = 150;

    /// <summary>The highest answer limit that can be set, in MiB (an answer is one buffer, under 2 GiB).</summary>
    public const int MaxResponseMegabytes = 2047;

    /// <summary>The HTTP status of an answer over its limit (D11).</summary>
    public const int ResponseTooLargeStatus = 413;

    /// <summary>
    /// The fewest bytes the entry of any processor item takes: an error entry's status, message
    /// and statTags alone are longer.
    /// </summary>
    public const int MinProcessorEntryBytes = 160;

    /// <summary>The D8 error of an event whose entries would be larger than the limit.</summary>
    public static string EventOutputTooLarge(long limit) =>
        $"The event's output would be larger than {OutputLimitException.MegabytesOf(limit)} MiB (the limit of one event's entries, MAX_EVENT_OUTPUT_MB)";

    /// <summary>The D11 error of an answer that would be larger than the limit.</summary>
    public static string ResponseTooLarge(long limit) =>
        $"The answer would be larger than {OutputLimitException.MegabytesOf(limit)} MiB (MAX_RESPONSE_MB): send fewer events per request";
}
