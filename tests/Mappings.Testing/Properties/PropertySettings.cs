using System.Globalization;

namespace Mappings.Testing.Properties;

/// <summary>
/// How many cases a property test generates and from which seed, from the environment:
/// <list type="bullet">
/// <item><c>PROPERTY_CASES</c>: the number of generated processor items (default 10,000; router
/// bodies scale with it).</item>
/// <item><c>PROPERTY_SEED</c>: the run's seed, a number (default <see cref="DefaultSeed"/>, so CI is
/// deterministic); use another for a different run, e.g. <c>PROPERTY_SEED=$RANDOM</c>.</item>
/// <item><c>PROPERTY_REPLAY</c>: a case's seed as printed by a failure (a CsCheck seed string):
/// only that case is generated, in every property test that generates that kind of case.</item>
/// </list>
/// </summary>
public sealed record PropertySettings(int Cases, ulong Seed, string? Replay)
{
    public const int DefaultCases = 10_000;
    public const ulong DefaultSeed = 20_260_801;

    public static PropertySettings FromEnvironment()
    {
        int cases = DefaultCases;
        ulong seed = DefaultSeed;
        string? value = Environment.GetEnvironmentVariable("PROPERTY_CASES");
        if (!string.IsNullOrWhiteSpace(value))
        {
            cases = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n
                : throw new FormatException($"PROPERTY_CASES must be a positive whole number; got \"{value}\".");
        }
        value = Environment.GetEnvironmentVariable("PROPERTY_SEED");
        if (!string.IsNullOrWhiteSpace(value))
        {
            seed = ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong s)
                ? s
                : throw new FormatException($"PROPERTY_SEED must be a whole number; got \"{value}\".");
        }
        string? replay = Environment.GetEnvironmentVariable("PROPERTY_REPLAY");
        return new PropertySettings(cases, seed, string.IsNullOrWhiteSpace(replay) ? null : replay.Trim());
    }

    /// <summary>How to run one case again, for failure messages.</summary>
    public static string ReplayHint(string caseSeed) =>
        $"replay it alone with PROPERTY_REPLAY={caseSeed} (run seed {FromEnvironment().Seed}, PROPERTY_SEED)";

    public override string ToString() => $"{Cases:#,0} cases, PROPERTY_SEED={Seed}" + (Replay is null ? "" : $", PROPERTY_REPLAY={Replay}");
}
