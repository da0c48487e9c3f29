using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;
using Mappings.Testing.Generation;
using Mappings.Testing.Json;
using Mappings.Testing.Properties;
using Xunit.Abstractions;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// Seeded property tests of the library with generated requests (tests/Mappings.Testing): invariants
/// that need no reference, over <see cref="PropertyCases.Items"/> (10,000 by default) and router
/// bodies of about as many items. The CLI and service tests check their faces against the library on
/// the same cases. A failure names the case's seed (<c>PROPERTY_REPLAY</c>) and its shrunk input.
/// </summary>
public sealed class PropertyTests(ITestOutputHelper output)
{
    private static ProcessorTransformer NewProcessor() => new(CleverTapMapper.Instance);

    private static byte[] Alone(ProcessorTransformer transformer, ReadOnlySpan<byte> item)
    {
        var buffer = new ByteBuffer();
        transformer.TransformItem(item, buffer);
        return buffer.WrittenMemory.ToArray();
    }

    /// <summary>
    /// Invariants 1 and 5: every item's answer is exactly its outcome (one entry, or two for identify
    /// + device token; status, metadata, error and statTags); one transformer that answers every
    /// item twice in a row, and another that answers them in reverse order, give the same bytes
    /// (the transformer's reused state leaks nothing from one item to the next).
    /// </summary>
    [Fact]
    public void Every_item_gets_exactly_its_outcome_and_the_same_bytes_every_time()
    {
        var cases = PropertyCases.Items;
        output.WriteLine(PropertyCases.Settings.ToString());
        var forward = NewProcessor();
        var answers = new byte[cases.Count][];
        var failures = new Failures(output.WriteLine);
        foreach (var c in cases)
        {
            byte[] first = Alone(forward, c.Value.Utf8);
            byte[] again = Alone(forward, c.Value.Utf8);
            answers[c.Index] = first;
            if (!first.AsSpan().SequenceEqual(again))
            {
                failures.Add("the same item twice in one transformer gave different bytes", c, SameTwice, ProcessorInvariants.FirstDifference(first, again));
            }
            if (ProcessorInvariants.CheckOutcome(c.Value.Json, first) is { } problem)
            {
                failures.Add("outcome", c, OutcomeFails, problem);
            }
        }
        var backward = NewProcessor();
        for (int i = cases.Count - 1; i >= 0; i--)
        {
            byte[] answer = Alone(backward, cases[i].Value.Utf8);
            if (!answer.AsSpan().SequenceEqual(answers[i]))
            {
                failures.Add("the item's answer depends on the items before it", cases[i], null, ProcessorInvariants.FirstDifference(answers[i], answer));
            }
        }
        failures.AssertNone();
    }

    /// <summary>
    /// Invariant 3: in requests of 1 to 233 generated items, the answer is the concatenation of the
    /// items' answers alone, byte for byte.
    /// </summary>
    [Fact]
    public void An_item_gets_the_same_entries_alone_and_inside_a_request()
    {
        var cases = PropertyCases.Items;
        var alone = NewProcessor();
        var answers = cases.Select(c => Alone(alone, c.Value.Utf8)).ToList();
        var requests = NewProcessor();
        var failures = new Failures(output.WriteLine);
        var buffer = new ByteBuffer();
        foreach (var (start, count) in PropertyCases.Requests(cases.Count))
        {
            var items = cases.Skip(start).Take(count).ToList();
            buffer.Clear();
            int status = requests.TransformRequest(RequestGenerator.ProcessorBody(items.Select(c => c.Value)), buffer);
            byte[] expected = ProcessorInvariants.ConcatenatedAnswer(answers.Skip(start).Take(count).Select(a => (ReadOnlyMemory<byte>)a));
            if (status == 200 && buffer.WrittenSpan.SequenceEqual(expected)) continue;
            // Find the item whose entries differ: answer each item alone and as the only item of a request.
            var culprit = items.FirstOrDefault(c => InRequestDiffers(c.Value.Json)) ?? items[0];
            failures.Add($"a request of {count} items (from case {start}) is not its items' answers alone (status {status})", culprit,
                InRequestDiffers, ProcessorInvariants.FirstDifference(expected, buffer.WrittenSpan));
        }
        failures.AssertNone();
    }

    /// <summary>Invariants 4 and 5 for the router: every input's job appears exactly once, other top-level members and destType's place change nothing, and the same body gives the same bytes twice and in another transformer.</summary>
    [Fact]
    public void Router_answers_every_job_exactly_once_and_the_same_bytes_every_time()
    {
        var bodies = PropertyCases.RouterBodies;
        output.WriteLine($"{bodies.Count} router bodies of {bodies.Sum(b => b.Value.Inputs.Length)} items");
        var router = new RouterTransformer(CleverTapMapper.Instance);
        var answers = new byte[bodies.Count][];
        var failures = new Failures(output.WriteLine);
        var buffer = new ByteBuffer();
        foreach (var b in bodies)
        {
            buffer.Clear();
            int status = router.Transform(b.Value.Utf8, buffer);
            answers[b.Index] = buffer.WrittenMemory.ToArray();
            if (status != 200) failures.Add($"router status {status}", b, null, Encoding.UTF8.GetString(answers[b.Index]));
            else if (RouterInvariants.CheckJobs(b.Value, answers[b.Index]) is { } problem) failures.Add("router jobs", b, null, problem);
            if (b.Value.Extras.Members.Length > 0 || b.Value.DestTypeFirst)
            {
                buffer.Clear();
                router.Transform(b.Value.Plain().Utf8, buffer);
                if (!buffer.WrittenSpan.SequenceEqual(answers[b.Index]))
                {
                    failures.Add("other top-level members or destType's place changed the answer", b, null, ProcessorInvariants.FirstDifference(buffer.WrittenSpan, answers[b.Index]));
                }
            }
            buffer.Clear();
            router.Transform(b.Value.Utf8, buffer);
            if (!buffer.WrittenSpan.SequenceEqual(answers[b.Index]))
            {
                failures.Add("the same body twice in one router gave different bytes", b, null, ProcessorInvariants.FirstDifference(answers[b.Index], buffer.WrittenSpan));
            }
        }
        var other = new RouterTransformer(CleverTapMapper.Instance);
        for (int i = bodies.Count - 1; i >= 0; i--)
        {
            buffer.Clear();
            other.Transform(bodies[i].Value.Utf8, buffer);
            if (!buffer.WrittenSpan.SequenceEqual(answers[i]))
            {
                failures.Add("the body's answer depends on the bodies before it", bodies[i], null, ProcessorInvariants.FirstDifference(answers[i], buffer.WrittenSpan));
            }
        }
        failures.AssertNone();
    }

    /// <summary>Invariants 1 and 3 with malformed items mixed in (the generator's mixed mode, a fifth of the default count).</summary>
    [Fact]
    public void Mixed_good_and_bad_items_each_get_exactly_their_outcome()
    {
        var settings = PropertyCases.Settings;
        var cases = GeneratedCases.Generate(PropertyCases.Mixed.Item, Math.Max(1, settings.Cases / 5), PropertyCases.MixedItemStream, settings);
        var transformer = NewProcessor();
        var failures = new Failures(output.WriteLine);
        var answers = new List<byte[]>();
        foreach (var c in cases)
        {
            byte[] answer = Alone(transformer, c.Value.Utf8);
            answers.Add(answer);
            if (ProcessorInvariants.CheckOutcome(c.Value.Json, answer) is { } problem) failures.Add("outcome (mixed)", c, OutcomeFails, problem);
        }
        var buffer = new ByteBuffer();
        foreach (var (start, count) in PropertyCases.Requests(cases.Count))
        {
            buffer.Clear();
            transformer.TransformRequest(RequestGenerator.ProcessorBody(cases.Skip(start).Take(count).Select(c => c.Value)), buffer);
            byte[] expected = ProcessorInvariants.ConcatenatedAnswer(answers.Skip(start).Take(count).Select(a => (ReadOnlyMemory<byte>)a));
            if (!buffer.WrittenSpan.SequenceEqual(expected))
            {
                var items = cases.Skip(start).Take(count).ToList();
                var culprit = items.FirstOrDefault(c => InRequestDiffers(c.Value.Json)) ?? items[0];
                failures.Add($"a mixed request of {count} items (from case {start}) is not its items' answers alone", culprit, InRequestDiffers,
                    ProcessorInvariants.FirstDifference(expected, buffer.WrittenSpan));
            }
        }
        failures.AssertNone();
    }

    /// <summary>
    /// The reliability work's invariants (deliberate differences D7, D8): good, malformed, deep and
    /// huge-output items mixed — every item gets exactly its outcome, alone and inside requests of
    /// other items; a router body whose inputs share job ids answers every input exactly once.
    /// The event output limit is 1 MiB here, so that huge outputs fail fast.
    /// </summary>
    [Fact]
    public void Deep_and_huge_items_among_others_each_get_exactly_their_outcome()
    {
        var cases = PropertyCases.ReliabilityItems;
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance) { MaxEventOutputBytes = PropertyCases.ReliabilityEventOutputBytes };
        var failures = new Failures(output.WriteLine);
        var answers = new List<byte[]>();
        int deep = 0, huge = 0;
        foreach (var c in cases)
        {
            byte[] answer = Alone(transformer, c.Value.Utf8);
            answers.Add(answer);
            if (c.Value.Tags.Any(t => t.StartsWith("deep:", StringComparison.Ordinal))) deep++;
            if (c.Value.Tags.Any(t => t.StartsWith("huge:", StringComparison.Ordinal))) huge++;
            if (ProcessorInvariants.CheckOutcome(c.Value.Json, answer) is { } problem) failures.Add("outcome (deep, huge, malformed)", c, null, problem);
        }
        output.WriteLine($"{cases.Count} items, {deep} deep, {huge} huge");
        Assert.True(deep > 0 && huge > 0, "the generator made no deep or no huge item");
        var buffer = new ByteBuffer();
        foreach (var (start, count) in PropertyCases.Requests(cases.Count))
        {
            buffer.Clear();
            transformer.TransformRequest(RequestGenerator.ProcessorBody(cases.Skip(start).Take(count).Select(c => c.Value)), buffer);
            byte[] expected = ProcessorInvariants.ConcatenatedAnswer(answers.Skip(start).Take(count).Select(a => (ReadOnlyMemory<byte>)a));
            if (!buffer.WrittenSpan.SequenceEqual(expected))
            {
                failures.Add($"a request of {count} items (from case {start}) is not its items' answers alone", cases[start], null,
                    ProcessorInvariants.FirstDifference(expected, buffer.WrittenSpan));
            }
        }
        var router = new RouterTransformer(CleverTapMapper.Instance) { MaxEventOutputBytes = PropertyCases.ReliabilityEventOutputBytes };
        foreach (var b in PropertyCases.ReliabilityRouterBodies)
        {
            buffer.Clear();
            int status = router.Transform(b.Value.Utf8, buffer);
            if (status != 200) failures.Add($"router status {status}", b, null, Encoding.UTF8.GetString(buffer.WrittenSpan));
            else if (RouterInvariants.CheckJobs(b.Value, buffer.WrittenMemory) is { } problem) failures.Add("router jobs (deep, huge, malformed, shared job ids)", b, null, problem);
        }
        failures.AssertNone();
    }

    private static bool OutcomeFails(RawJson item) => ProcessorInvariants.CheckOutcome(item, Alone(NewProcessor(), item.ToUtf8())) is not null;

    private static bool SameTwice(RawJson item)
    {
        var transformer = NewProcessor();
        byte[] bytes = item.ToUtf8();
        return !Alone(transformer, bytes).AsSpan().SequenceEqual(Alone(transformer, bytes));
    }

    private static bool InRequestDiffers(RawJson item)
    {
        byte[] bytes = item.ToUtf8();
        byte[] alone = Alone(NewProcessor(), bytes);
        var buffer = new ByteBuffer();
        NewProcessor().TransformRequest([(byte)'[', .. bytes, (byte)']'], buffer);
        return !buffer.WrittenSpan.SequenceEqual(ProcessorInvariants.ConcatenatedAnswer([alone]));
    }
}
