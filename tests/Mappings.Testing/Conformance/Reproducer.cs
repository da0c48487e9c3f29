using System.Text;
using System.Text.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// One line of adversarial/reproducers.jsonl: <c>{id, kind, mode, input, expected, actual}</c>.
/// <c>mode</c> says which endpoint: <c>processor</c> (the input is one request item, answered
/// alone) or <c>router</c> (the input is a whole <c>/routerTransform</c> body).
/// </summary>
public sealed record Reproducer(string Id, string Kind, string Mode, ReadOnlyMemory<byte> Input, ReadOnlyMemory<byte> Expected)
{
    public const string File = "conformance/adversarial/reproducers.jsonl";

    private static readonly Lazy<IReadOnlyList<Reproducer>> Loaded = new(() => Load(File));

    /// <summary>Every reproducer, in file order.</summary>
    public static IReadOnlyList<Reproducer> All => Loaded.Value;

    public static IReadOnlyList<Reproducer> Load(string relativePath)
    {
        var list = new List<Reproducer>();
        foreach (string line in System.IO.File.ReadAllLines(SharedFiles.Path(relativePath)))
        {
            if (line.Length == 0) continue;
            ReadOnlyMemory<byte> bytes = Encoding.UTF8.GetBytes(line);
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            list.Add(new Reproducer(
                root.GetProperty("id").ToString(),
                root.GetProperty("kind").GetString()!,
                root.GetProperty("mode").GetString()!,
                JsonSlices.At(bytes, "input")!.Value,
                JsonSlices.At(bytes, "expected")!.Value));
        }
        return list;
    }

    public override string ToString() => $"reproducer {Id} ({Kind}, {Mode})";
}
