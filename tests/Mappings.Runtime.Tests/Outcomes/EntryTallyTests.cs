using System.Text;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;

namespace Mappings.Runtime.Tests.Outcomes;

/// <summary>
/// The metrics' tally groups a request's entries by their (destinationId, workspaceId) exactly as
/// a plain list of the pairs in order of first appearance would: strings by their value (escaped
/// or not), absent ids together (a metadata that is not an object has none), every other value together; the first
/// <see cref="EntryTally.MaxRows"/> − 1 pairs get rows of their own and the rest share the last
/// row, marked as overflow once a pair beyond it came. Checked against that model for requests of
/// up to 150 pairs in random order, and again after <see cref="EntryTally.Reset"/> on the same tally.
/// </summary>
public sealed class EntryTallyTests
{
    [Theory]
    [InlineData(1, 1, 40)]
    [InlineData(2, 5, 200)]
    [InlineData(3, 63, 300)]
    [InlineData(4, 64, 300)]
    [InlineData(5, 65, 300)]
    [InlineData(6, 150, 600)]
    public void Entries_are_grouped_by_their_ids_as_a_list_in_order_of_first_appearance(int seed, int pairs, int entries)
    {
        var tally = new EntryTally();
        for (int request = 0; request < 3; request++)
        {
            var random = new Random(seed * 100 + request);
            // Each pair's JSON; ids written differently but equal as values share a pair.
            var candidates = Pairs(random, pairs);
            var order = new List<int>();
            for (int i = 0; i < entries; i++)
            {
                // Runs of one pair (as most requests have) and jumps between pairs.
                int pair = random.Next(3) == 0 && order.Count > 0 ? order[^1] : random.Next(pairs);
                order.Add(pair);
            }

            var json = new StringBuilder("[");
            for (int i = 0; i < order.Count; i++)
            {
                if (i > 0) json.Append(',');
                json.Append(candidates[order[i]].Json(random));
            }
            json.Append(']');
            var heap = new JsHeap();
            int array = heap.Parse(Encoding.UTF8.GetBytes(json.ToString()));

            tally.Reset();
            for (int i = 0; i < order.Count; i++) tally.Succeeded(heap, heap.ArrayElement(array, i), entries: 1 + i % 2);

            // The model: rows in order of first appearance, the last one shared by every later pair.
            var firstSeen = new List<int>();
            var expected = new int[EntryTally.MaxRows];
            for (int i = 0; i < order.Count; i++)
            {
                int seen = firstSeen.IndexOf(order[i]);
                if (seen < 0)
                {
                    firstSeen.Add(order[i]);
                    seen = firstSeen.Count - 1;
                }
                expected[Math.Min(seen, EntryTally.MaxRows - 1)] += 1 + i % 2;
            }

            int rows = Math.Min(firstSeen.Count, EntryTally.MaxRows);
            Assert.Equal(rows, tally.RowCount);
            for (int r = 0; r < rows; r++)
            {
                ref readonly var row = ref tally.Row(r);
                var pair = candidates[firstSeen[r]];
                Assert.Equal(expected[r], row.Succeeded);
                Assert.Equal(r == EntryTally.MaxRows - 1 && firstSeen.Count > EntryTally.MaxRows, row.Overflow);
                AssertKept(tally, row.DestinationId, pair.DestinationId);
                AssertKept(tally, row.WorkspaceId, pair.WorkspaceId);
            }
            Assert.Equal(expected.Sum(), tally.Entries);
            Assert.Equal(order.Count, tally.Reports);
        }
    }

    private static void AssertKept(EntryTally tally, TallySpan kept, string? id)
    {
        switch (id)
        {
            case null:
                Assert.Equal(TallyValueKind.Missing, kept.Kind);
                break;
            case Other:
                Assert.Equal(TallyValueKind.Other, kept.Kind);
                break;
            default:
                Assert.Equal(TallyValueKind.String, kept.Kind);
                Assert.Equal(id, Encoding.UTF8.GetString(tally.Bytes(in kept)));
                break;
        }
    }

    // A non-string id: a number, null, an object or an array all count as one value ("other").
    private const string Other = "\u0000other";

    private sealed record Pair(string? DestinationId, string? WorkspaceId)
    {
        public string Json(Random random)
        {
            // A metadata that is not an object has no ids: it counts as the pair of two absent ids.
            if (DestinationId is null && WorkspaceId is null && random.Next(3) == 0)
                return random.Next(3) switch { 0 => "\"metadata\"", 1 => "7", _ => "null" };
            var members = new List<string> { "\"jobId\":" + random.Next(1000) };
            if (Member("destinationId", DestinationId, random) is { } d) members.Add(d);
            if (Member("workspaceId", WorkspaceId, random) is { } w) members.Add(w);
            members.Add("\"sourceType\":\"web\"");
            return "{" + string.Join(",", members.OrderBy(_ => random.Next())) + "}";
        }

        private static string? Member(string key, string? id, Random random) => id switch
        {
            null => null,
            Other => $"\"{key}\":" + (random.Next(4) switch { 0 => "12", 1 => "null", 2 => "{\"a\":1}", _ => "[1]" }),
            // The same string, escaped or not.
            _ => $"\"{key}\":\"" + (random.Next(2) == 0 ? id : string.Concat(id.Select(c => $"\\u{(int)c:x4}"))) + "\"",
        };
    }

    private static List<Pair> Pairs(Random random, int count)
    {
        var pairs = new List<Pair>();
        var seen = new HashSet<(string?, string?)>();
        string?[] workspaces = [null, Other, "ws-1", "ws-2", "é-ws"];
        while (pairs.Count < count)
        {
            string? destination = random.Next(10) switch
            {
                0 => null,
                1 => Other,
                _ => "dest-" + random.Next(count * 2),
            };
            string? workspace = workspaces[random.Next(workspaces.Length)];
            if (seen.Add((destination, workspace))) pairs.Add(new Pair(destination, workspace));
        }
        return pairs;
    }
}
