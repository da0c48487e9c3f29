namespace Mappings.Runtime.Json;

/// <summary>What an output limit bounds (see <see cref="ByteBuffer.SetLimit"/>).</summary>
public enum OutputLimitKind : byte
{
    /// <summary>The entries of one event (D8): the event fails alone.</summary>
    Event,
    /// <summary>A whole processor or router answer (D11): the request is answered 413.</summary>
    Response,
}

/// <summary>
/// A <see cref="ByteBuffer"/> was asked to hold more than its limit: thrown before the memory is
/// taken, so a small input cannot make a huge output (D8, D11).
/// </summary>
public sealed class OutputLimitException : Exception
{
    public OutputLimitException(long limit, OutputLimitKind kind)
        : base($"The output would be larger than {limit} bytes.")
    {
        Limit = limit;
        Kind = kind;
    }

    /// <summary>The limit, in bytes.</summary>
    public long Limit { get; }

    public OutputLimitKind Kind { get; }

    /// <summary>The limit in MiB, as the settings give it (rounded).</summary>
    public string Megabytes => MegabytesOf(Limit);

    /// <summary>Bytes as whole or fractional MiB ("64", "0.5").</summary>
    public static string MegabytesOf(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
