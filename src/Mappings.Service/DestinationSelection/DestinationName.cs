namespace Mappings.Service.DestinationSelection;

/// <summary>Destination names as spec §10 matches them: case-insensitive, after trimming.</summary>
internal static class DestinationName
{
    public static bool Matches(string? name, string destType) =>
        name is not null && name.AsSpan().Trim().Equals(destType, StringComparison.OrdinalIgnoreCase);
}
