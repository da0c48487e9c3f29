using CsCheck;

namespace Mappings.Testing.Properties;

/// <summary>One generated case: its position, its CsCheck seed string (replays exactly this case), its value.</summary>
public sealed record GeneratedCase<T>(int Index, string Seed, T Value)
{
    public override string ToString() => $"case {Index} (seed {Seed})";
}

/// <summary>
/// Generates cases deterministically. CsCheck's <c>Sample</c> seeds its threads from the clock, so
/// CI would see other cases on every run; here one PCG stream, started from the run's seed,
/// generates the cases in order, and each case records the PCG state it started from (a CsCheck
/// seed string), so any one case can be generated again on its own (<c>PROPERTY_REPLAY</c>).
/// </summary>
public static class GeneratedCases
{
    /// <param name="stream">The PCG stream: different kinds of cases use different streams, so that one kind's count does not shift another's cases.</param>
    public static List<GeneratedCase<T>> Generate<T>(Gen<T> gen, int count, ulong seed, uint stream, string? replay = null)
    {
        var cases = new List<GeneratedCase<T>>(count);
        if (replay is not null)
        {
            var one = PCG.Parse(replay);
            if (one.Stream == stream) cases.Add(new GeneratedCase<T>(0, replay, gen.Generate(one, null, out _)));
            return cases;
        }
        var pcg = new PCG(stream, seed);
        for (int i = 0; i < count; i++)
        {
            string caseSeed = pcg.ToString(pcg.State);
            cases.Add(new GeneratedCase<T>(i, caseSeed, gen.Generate(pcg, null, out _)));
        }
        return cases;
    }

    /// <summary>The same, with the run's settings.</summary>
    public static List<GeneratedCase<T>> Generate<T>(Gen<T> gen, int count, uint stream, PropertySettings settings) =>
        Generate(gen, count, settings.Seed, stream, settings.Replay);
}
