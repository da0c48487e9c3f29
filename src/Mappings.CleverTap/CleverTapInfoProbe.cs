namespace Mappings.CleverTap;

/// <summary>
/// Compile-time proof that the mappings generator ran for this project: if it did not load or did not
/// see mappings/clevertap/placeholder.json, <c>Mappings.Generated.ClevertapPlaceholderInfo</c> does not
/// exist and this file does not compile.
/// </summary>
internal static class CleverTapInfoProbe
{
    public const int PlaceholderTopLevelPropertyCount = Mappings.Generated.ClevertapPlaceholderInfo.TopLevelPropertyCount;

    public const string PlaceholderRelativePath = Mappings.Generated.ClevertapPlaceholderInfo.RelativePath;
}
