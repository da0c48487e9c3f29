using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;
using Mappings.Service.Tests.Infrastructure;
using Mappings.Testing.Generation;
using Mappings.Testing.Properties;
using Xunit.Abstractions;

namespace Mappings.Service.Tests;

/// <summary>
/// Invariants 2 and 3 for the service: the generated cases of the library property tests
/// (<see cref="PropertyCases"/>, same seed, same cases) in processor requests of 1,000 items and
/// as router bodies: every answer is, byte for byte, what the library answers for the same body,
/// and a processor answer is the concatenation of its items' answers alone.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class PropertyTests(ServiceFixture fixture, ITestOutputHelper output)
{
    private const int ItemsPerRequest = 1_000;

    [Fact]
    public async Task Processor_requests_of_generated_items_get_the_library_answer()
    {
        var cases = PropertyCases.Items;
        output.WriteLine(PropertyCases.Settings.ToString());
        var alone = new ProcessorTransformer(CleverTapMapper.Instance);
        var library = new ProcessorTransformer(CleverTapMapper.Instance);
        var buffer = new ByteBuffer();
        var failures = new Failures(output.WriteLine);
        for (int start = 0; start < cases.Count; start += ItemsPerRequest)
        {
            var items = cases.Skip(start).Take(ItemsPerRequest).ToList();
            byte[] body = RequestGenerator.ProcessorBody(items.Select(c => c.Value));
            var answer = await Http.PostAsync(fixture.Client, "/v0/destinations/clevertap", body);
            buffer.Clear();
            int status = library.TransformRequest(body, buffer);
            if (answer.Status != status || !buffer.WrittenSpan.SequenceEqual(answer.Body))
            {
                failures.Add($"the service's answer to items {start}–{start + items.Count - 1} (HTTP {answer.Status}) is not the library's ({status})", items[0], null,
                    ProcessorInvariants.FirstDifference(buffer.WrittenSpan, answer.Body));
                continue;
            }
            var answers = items.Select(c =>
            {
                var one = new ByteBuffer();
                alone.TransformItem(c.Value.Utf8, one);
                return one.WrittenMemory;
            });
            byte[] expected = ProcessorInvariants.ConcatenatedAnswer(answers);
            if (!expected.AsSpan().SequenceEqual(answer.Body))
            {
                failures.Add($"the service's answer to items {start}–{start + items.Count - 1} is not their answers alone", items[0], null,
                    ProcessorInvariants.FirstDifference(expected, answer.Body));
            }
        }
        failures.AssertNone();
    }

    [Fact]
    public async Task Router_bodies_of_generated_items_get_the_library_answer()
    {
        var bodies = PropertyCases.RouterBodies;
        var library = new RouterTransformer(CleverTapMapper.Instance);
        var buffer = new ByteBuffer();
        var failures = new Failures(output.WriteLine);
        foreach (var b in bodies)
        {
            var answer = await Http.PostAsync(fixture.Client, "/routerTransform", b.Value.Utf8);
            buffer.Clear();
            int status = library.Transform(b.Value.Utf8, buffer);
            if (answer.Status != status || !buffer.WrittenSpan.SequenceEqual(answer.Body))
            {
                failures.Add($"the service's router answer (HTTP {answer.Status}) is not the library's ({status})", b, null,
                    ProcessorInvariants.FirstDifference(buffer.WrittenSpan, answer.Body));
            }
        }
        failures.AssertNone();
    }
}
