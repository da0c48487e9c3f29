using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>
/// Mutations of <c>destination</c> and <c>metadata</c>: config flags of every JSON type, regions,
/// account id and passcode, extra and missing keys, <c>hasDynamicConfig</c>, dynamic-config
/// templates <c>{{ path || default }}</c> (including ones that read the destination itself, an
/// inherited function, or a message path that is then deleted; spec §10.5, §14.13 items 5–8), a
/// Config that is itself a template or not an object, odd destination IDs (router grouping, §14.13
/// item 9), and odd metadata.
/// </summary>
public static class DestinationMutations
{
    public static readonly Gen<RawJson> FlagValue = Gen.OneOf(
        "true", "false", "\"true\"", "\"false\"", "\"\"", "\" \"", "0", "1", "-0", "null", "[]", "{}", "\"0\"", "[0]", "1e309")
        .Select(t => RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(t)));

    public static readonly Gen<RawJson> RegionValue = Gen.OneOf(
        "\"in1\"", "\"us1\"", "\"sg1\"", "\"eu1\"", "\"none\"", "\"NONE\"", "\"IN1\"", "\" in1\"", "\"a b\"", "\"\"", "\"null\"", "null",
        "5", "true", "[\"in1\"]", "{\"toString\":\"in1\"}", "\"\\ud800\"", "\"<b>\"", "\"in1/x?y#z\"")
        .Select(t => RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(t)));

    /// <summary>
    /// Dynamic-config templates. Templates never read <c>metadata.jobId</c> or the whole
    /// <c>metadata</c>: they would delete the job id from the answer, and the router invariants
    /// follow jobs by it (other metadata keys may be read and so deleted: the invariants allow it).
    /// </summary>
    public static readonly string[] Templates =
    [
        "{{ message.userId || d }}", "{{ message.traits.email || \"x\" }}", "{{ event.type || d }}", "{{ message.context.os.name || in1 }}",
        "{{ destination.Config.accountId || d }}", "{{ destination.Config.passcode || d }}", "{{ destination.Config.region || us1 }}",
        "{{ message.toString || d }}", "{{ message.userId.0 || dflt }}", "{{ message.traits.a || d }}", "{{ message.anonymousId || \" q \" }}",
        "{{ metadata.workspaceId || ws }}", "{{metadata.destinationId||d}}", "{{ destination.Config || x }}", "{{ destination || x }}",
        "{{ destination.ID || d }}", "{{ message.type || track }}", "{{ message.nothing.here || }}", "{{ 1bad || d }}", "{{ message || d }}",
        "{{ message.properties.revenue || 0 }}", "{{ message.event || }}", "{ message.userId || d }", "{{ message.userId }}",
    ];

    public static readonly Gen<RawJson> Template = Gen.OneOf(Templates).Select(t => (RawJson)RawString.Of(t));

    private static readonly string[] ConfigKeys = ["accountId", "passcode", "region", "trackAnonymous", "enableObjectIdMapping"];

    private static Mutation SetConfig(string key, RawJson value, string tag) => Mutation.Set($"cfg:{tag}:{key}", ["destination", "Config", key], value);

    public static readonly Gen<Mutation> Any = Gen.Frequency(
        (4, Gen.Select(Gen.OneOf("trackAnonymous", "enableObjectIdMapping"), FlagValue, (key, value) => SetConfig(key, value, "flag"))),
        (3, Gen.Select(RegionValue, value => SetConfig("region", value, "region"))),
        (2, Gen.Select(Gen.OneOf("accountId", "passcode"), Gen.Frequency((3, HostileValues.ShortScalar), (1, HostileValues.Container)),
            (key, value) => SetConfig(key, value, "value"))),
        (2, Gen.Select(Gen.OneOf(ConfigKeys), key => Mutation.Remove("cfg:delete:" + key, ["destination", "Config", key]))),
        (1, Gen.Select(OddKeys.Key, HostileValues.Any, (key, value) =>
            Mutation.OnObject("cfg:extra", ["destination", "Config"], config => config.Add(key, value)))),
        (2, Gen.Select(FlagValue, value => Mutation.Set("cfg:hasDynamicConfig", ["destination", "hasDynamicConfig"], value))),
        (4, Gen.Select(Gen.OneOf(ConfigKeys), Template, (key, template) => SetConfig(key, template, "dynamic"))),
        (1, Gen.Select(Gen.OneOf("\"{{ message.userId || d }}\"", "\"{{ message.traits.email || d }}\"", "null", "\"str\"", "[]", "5", "{}"),
            value => Mutation.Set("cfg:config=" + value, ["destination", "Config"], RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(value))))),
        (1, Gen.Const(Mutation.Remove("cfg:no-config", ["destination", "Config"]))),
        (2, Gen.Select(Gen.OneOf("\"ct-dest-1\"", "\"x,y\"", "\"\"", "5", "null", "{\"a\":1}", "[\"ct-dest-1\"]", "\"[object Object]\""),
            id => Mutation.Set("destination:ID=" + id, ["destination", "ID"], RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(id))))));

    public static readonly Gen<Mutation> Metadata = Gen.Frequency(
        (2, Gen.Select(HostileValues.ShortScalar, value => Mutation.Set("metadata:odd-workspaceId", ["metadata", "workspaceId"], value))),
        (1, Gen.Const(Mutation.Remove("metadata:no-destinationId", ["metadata", "destinationId"]))),
        (1, Gen.Select(Gen.OneOf("\"7\"", "1.5", "-1", "9007199254740993", "null", "1e21"),
            id => Mutation.Set("metadata:jobId=" + id, ["metadata", "jobId"], RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(id))))),
        (1, Gen.Select(OddKeys.Key, HostileValues.ShortScalar, (key, value) => Mutation.OnObject("metadata:extra", ["metadata"], m => m.Add(key, value)))),
        (1, Gen.Const(new Mutation("metadata:escape-all", item => item["metadata"] is { } m ? item.SetAt(["metadata"], Escaping.EscapeAll(m)) : item))));
}
