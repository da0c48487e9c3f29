using System.Text;
using Mappings.Runtime.Json;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// The adversarial set (mutated real-world messages, conformance/README.md) over HTTP: the 3,000
/// processor cases in one <c>/v0/destinations/clevertap</c> request (as the corpora in
/// <see cref="ProcessorTests"/>), each router body and each reproducer in a request of its own
/// (processor reproducers as one-item requests, router ones as <c>/routerTransform</c> bodies).
/// Inputs are the raw bytes of each line's <c>input</c>, never re-serialised. Each case is compared
/// with its expected answer as the library tests compare theirs, so the same cases pass and fail
/// here as there.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AdversarialTests(ServiceFixture fixture)
{
    private const string CasesFile = "conformance/adversarial/cases.jsonl";
    private const string RouterFile = "conformance/adversarial/router.jsonl";

    private static IReadOnlyList<ConformanceCase> Cases => ConformanceCases.Load(CasesFile);

    /// <summary>The one request of all cases, sent once for the whole class (see <see cref="CasesAnswer"/>).</summary>
    private static Task<CaseEntries>? _casesAnswer;
    private static readonly object Gate = new();

    private HttpClient Client => fixture.Client;

    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.Count; i++) data.Add(i);
        return data;
    }

    public static TheoryData<int> RouterIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ConformanceCases.Load(RouterFile).Count; i++) data.Add(i);
        return data;
    }

    public static TheoryData<string> ReproducerIds()
    {
        var data = new TheoryData<string>();
        foreach (var r in Reproducer.All) data.Add(r.Id);
        return data;
    }

    [Fact]
    public async Task One_request_of_all_cases_answers_every_case()
    {
        var answer = await CasesAnswer(Client);
        Assert.Equal(200, answer.Status);
        Assert.True(answer.Unassigned is null, answer.Unassigned);
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public async Task Case_matches_the_reference_over_http(int index)
    {
        var c = Cases[index];
        var answer = await CasesAnswer(Client);
        Assert.Equal(200, answer.Status);
        byte[] actual = answer.Of(index);
        string? diff = new JsonComparer().CompareProcessorEntries(c.Expected.Span, actual);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}]\n{diff}\nactual: {Encoding.UTF8.GetString(actual)}");
    }

    [Theory]
    [MemberData(nameof(RouterIndexes))]
    public async Task Router_body_matches_the_reference_over_http(int index)
    {
        var c = ConformanceCases.Load(RouterFile)[index];
        var body = new ByteBuffer();
        body.Append("{\"input\":"u8);
        body.Append(c.Input.Span);
        body.Append(",\"destType\":\"CLEVERTAP\"}"u8);
        var answer = await Http.PostAsync(Client, "/routerTransform", body.WrittenMemory.ToArray());
        Assert.Equal(200, answer.Status);
        string? diff = RouterComparer.Compare(c.Expected, answer.Body);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}]: {diff}");
    }

    [Theory]
    [MemberData(nameof(ReproducerIds))]
    public async Task Reproducer_gets_the_reference_answer_over_http(string id)
    {
        var r = Reproducer.All.Single(r => r.Id == id);
        string? diff;
        Answer answer;
        if (r.Mode == "router")
        {
            answer = await Http.PostAsync(Client, "/routerTransform", r.Input);
            Assert.Equal(200, answer.Status);
            diff = RouterComparer.Compare(r.Expected, answer.Body);
        }
        else
        {
            var body = new ByteBuffer();
            body.Append((byte)'[');
            body.Append(r.Input.Span);
            body.Append((byte)']');
            answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body.WrittenMemory.ToArray());
            Assert.Equal(200, answer.Status);
            diff = new JsonComparer().CompareProcessorEntries(r.Expected.Span, answer.Body);
        }
        Assert.True(diff is null, $"{r}: {diff}\nactual: {answer.Text}");
    }

    private static Task<CaseEntries> CasesAnswer(HttpClient client)
    {
        lock (Gate) return _casesAnswer ??= CaseEntries.FetchAsync(client, Cases);
    }

    /// <summary>
    /// The answer to one request of all cases, split into each case's entries. The entries come in
    /// item order, one per item, and a second one only for an identify with a device token, whose
    /// record is a token record (spec §3.10): so each case takes the next entry, and the one after it
    /// too when that is a token entry. (The entries' metadata cannot tell the cases apart: a
    /// dynamic-config template may delete a metadata key, e.g. <c>{{ metadata.jobId || d }}</c>.)
    /// Should the answer hold more or fewer entries than that, the split is off and
    /// <see cref="One_request_of_all_cases_answers_every_case"/> says so.
    /// </summary>
    private sealed class CaseEntries
    {
        private readonly List<byte[]> _perCase;

        private CaseEntries(int status, List<byte[]> perCase, string? unassigned)
        {
            Status = status;
            _perCase = perCase;
            Unassigned = unassigned;
        }

        public int Status { get; }

        /// <summary>Null when every entry of the answer went to a case; else which did not.</summary>
        public string? Unassigned { get; }

        public byte[] Of(int index) => _perCase[index];

        public static async Task<CaseEntries> FetchAsync(HttpClient client, IReadOnlyList<ConformanceCase> cases)
        {
            var body = new ByteBuffer();
            body.Append((byte)'[');
            for (int i = 0; i < cases.Count; i++)
            {
                if (i > 0) body.Append((byte)',');
                body.Append(cases[i].Input.Span);
            }
            body.Append((byte)']');
            var answer = await Http.PostAsync(client, "/v0/destinations/clevertap", body.WrittenMemory.ToArray());
            var perCase = new List<byte[]>();
            if (answer.Status != 200) return new CaseEntries(answer.Status, perCase, answer.Text);

            var entries = JsonSlices.Elements(answer.Body);
            int next = 0;
            foreach (var c in cases)
            {
                var own = new List<ReadOnlyMemory<byte>>();
                if (next < entries.Count) own.Add(entries[next++]);
                if (next < entries.Count && IsTokenEntry(entries[next])) own.Add(entries[next++]);
                perCase.Add(Array(own));
            }
            string? unassigned = next == entries.Count ? null : $"entry {next} of {entries.Count} is left over: the answer does not hold one entry per case (plus token entries)";
            return new CaseEntries(answer.Status, perCase, unassigned);
        }

        private static bool IsTokenEntry(ReadOnlyMemory<byte> entry) =>
            JsonSlices.At(entry, "output", "body", "JSON", "d", "0", "type") is { } type && type.Span.SequenceEqual("\"token\""u8);

        private static byte[] Array(List<ReadOnlyMemory<byte>> entries)
        {
            var array = new ByteBuffer();
            array.Append((byte)'[');
            for (int i = 0; i < entries.Count; i++)
            {
                if (i > 0) array.Append((byte)',');
                array.Append(entries[i].Span);
            }
            array.Append((byte)']');
            return array.WrittenMemory.ToArray();
        }
    }
}
