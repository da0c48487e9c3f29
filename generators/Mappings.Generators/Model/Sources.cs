namespace Mappings.Generators.Model;

/// <summary>
/// Where an entry of a mapping file is written: the file relative to the repository
/// (<c>mappings/clevertap/identify.json</c>), its 1-based line, and the entry shown on one line
/// (nested parts elided when long). Generated code quotes it above the code the entry becomes, so
/// the same on every machine.
/// </summary>
internal sealed record EntrySource(string File, int Line, string Text);
