using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>
/// Mutations of <c>message</c> at the paths the CleverTap mapping reads (mappings/clevertap/*.json,
/// spec §2–§6, §14.13): identity and profile fields in <c>traits</c> and <c>context.traits</c>,
/// event and page names, <c>properties</c> of Charged events, timestamps, the device token and OS,
/// <c>integrations</c>, the message type; plus the containers themselves, custom keys, duplicate
/// keys, literal dotted keys and fully escaped text.
/// </summary>
public static class MessageMutations
{
    public static readonly string[] IdentityPaths =
    [
        "userId", "anonymousId", "previousId", "traits.userId", "traits.id", "traits.anonymousId",
        "context.traits.userId", "context.traits.id", "context.traits.anonymousId",
    ];

    public static readonly string[] ProfilePaths =
    [
        "traits.email", "traits.name", "traits.phone", "traits.gender", "traits.employed", "traits.birthday", "traits.education",
        "traits.married", "traits.customerType", "traits.avatar", "traits.firstName", "traits.firstname", "traits.first_name",
        "traits.lastName", "traits.lastname", "traits.last_name", "context.traits.email", "context.traits.name",
        "context.traits.phone", "context.traits.gender", "context.traits.birthday", "context.traits.firstName",
        "context.traits.first_name", "context.traits.lastname", "context.traits.last_name", "properties.email",
    ];

    public static readonly string[] TimestampPaths = ["traits.ts", "context.traits.ts", "properties.ts", "timestamp", "originalTimestamp"];

    public static readonly string[] EventPaths = ["event", "name", "properties.event", "properties.name"];

    public static readonly string[] ChargedPaths = ["properties.checkout_id", "properties.revenue", "properties.products"];

    public static readonly string[] DevicePaths =
    [
        "context.os.name", "context.device.token", "integrations.clevertap", "integrations.Clevertap", "integrations.CleverTap",
        "integrations.CLEVERTAP", "integrations.clevertap.deviceTokenType", "integrations.CleverTap.deviceTokenType",
        "integrations.Clevertap.chromeKeys", "integrations.CLEVERTAP.chromeKeys", "integrations.All",
    ];

    public static readonly string[] OverridePaths = ["traits.overrideFields", "context.traits.overrideFields"];

    public static readonly string[] OtherPaths = ["type", "channel", "context.mappedToDestination", "statusCode"];

    public static readonly string[] ReadPaths =
        [.. IdentityPaths, .. ProfilePaths, .. TimestampPaths, .. EventPaths, .. ChargedPaths, .. DevicePaths, .. OverridePaths, .. OtherPaths];

    public static readonly string[] Containers = ["traits", "context.traits", "properties", "context", "context.os", "context.device", "integrations"];

    /// <summary>Message types: the supported ones in odd spellings, unsupported ones, and other JSON types.</summary>
    public static readonly Gen<RawJson> OddType = Gen.OneOf(
        "\"identify\"", "\"track\"", "\"page\"", "\"screen\"", "\"alias\"", "\"group\"", "\"IDENTIFY\"", "\"Identify\"", "\"Track\"",
        "\"TRACK\"", "\"PAGE\"", "\"Screen\"", "\"ALIAS\"", "\"\\u0131dentify\"", "\"\\u0130dentify\"", "\"trac\\u212a\"", "\" track\"",
        "\"track \"", "\"identify\\u0000\"", "\"\"", "null", "5", "true", "[\"track\"]", "{\"a\":1}", "{\"toString\":\"track\"}", "\"\\u0074rack\"")
        .Select(t => t[0] == '"' ? (RawJson)new RawString(t) : RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(t)));

    /// <summary>Event names around "Order Completed" (the Charged rule) and other odd names.</summary>
    public static readonly Gen<RawJson> OddEventName = Gen.OneOf(
        "\"Order Completed\"", "\"order completed\"", "\"ORDER COMPLETED\"", "\" Order Completed\"", "\"Order Completed \"",
        "\"Order Completed\\u00a0\"", "\"Order Completed\\u200b\"", "\"Ord\\u00e9r Completed\"", "\"Order\\tCompleted\"",
        "\"Order  Completed\"", "\"ORDER COMPLETED\\n\"", "\"order_completed\"", "\"Charged\"", "\"charged\"", "\"Product Added\"",
        "\"\\u212aey\"", "\"<b>Click</b> & \\\"go\\\"\"", "\"\"", "\" \"", "null", "true", "0", "1e21", "[\"Order Completed\"]",
        "[[\"Order Completed\"]]", "[\"Order\",\"Completed\"]", "{\"toString\":\"Order Completed\"}", "{\"a\":1}", "\"identify\"")
        .Select(t => RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(t)));

    /// <summary><c>properties.products</c> in every shape the Charged mapping meets.</summary>
    public static readonly Gen<RawJson> OddProducts = Gen.OneOf(
        "[]", "[{}]", "[{\"sku\":\"s\",\"n\":1e21}]", "[{\"product_id\":\"1\",\"price\":4.99},{\"name\":\"b\"}]", "[1,\"x\",null]",
        "[[1]]", "[{\"toString\":\"x\"}]", "{\"a\":1}", "\"[{\\\"a\\\":1}]\"", "\" [ {\\\"a\\\" : 1} ] \"", "\"[1,2]\"", "\"[\"",
        "\"5\"", "\"\"", "5", "null", "true", "\"[{\\\"a\\\":1e400}]\"")
        .Select(t => RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(t)));

    private static RawJson MessageOf(RawJson item) => item["message"] ?? RawObject.Empty;

    private static Gen<Mutation> SetAt(string[] paths, Gen<RawJson> values, string kind) =>
        Gen.Select(Gen.OneOf(paths), values, (path, value) => Mutation.Set($"{kind}:{path}", Mutation.Steps("message", path), value));

    /// <summary>Every message mutation, weighted.</summary>
    public static readonly Gen<Mutation> Any = Gen.Frequency(
        (10, SetAt(ReadPaths, HostileValues.Any, "set")),
        (3, SetAt(TimestampPaths, Gen.Frequency((3, HostileValues.DateString), (2, HostileValues.EdgeNumber), (1, HostileValues.Any)), "ts")),
        (3, Gen.Select(OddType, t => Mutation.Set("type:" + t, ["message", "type"], t))),
        (3, Gen.Select(Gen.OneOf(EventPaths), OddEventName, (path, name) => Mutation.Set($"event:{path}={name}", Mutation.Steps("message", path), name))),
        (2, Gen.Select(OddProducts, Gen.OneOf("track", "page", "screen"), (products, type) => new Mutation($"products:{type}", item =>
            item.SetAt(["message", "type"], RawString.Of(type)).SetAt(["message", "event"], RawString.Of("Order Completed"))
                .SetAt(["message", "properties", "products"], products)))),
        (3, Gen.Select(Gen.OneOf([.. ReadPaths, .. Containers]), path => Mutation.Remove("delete:" + path, Mutation.Steps("message", path)))),
        (2, Gen.Select(Gen.OneOf(Containers), Gen.OneOf("\"abc\"", "\"\\ud800\\udc00z\"", "[1,\"x\"]", "[]", "5", "true", "null", "\"\"", "{\"0\":\"a\",\"length\":1}"),
            (path, value) => Mutation.Set("container:" + path, Mutation.Steps("message", path), RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(value))))),
        (4, Gen.Select(Gen.OneOf("traits", "context.traits", "properties"), Gen.Select(OddKeys.Key, HostileValues.Any).Array[1, 4],
            (path, members) => Mutation.OnObject("custom:" + path, Mutation.Steps("message", path), o =>
                members.Aggregate(o, (acc, m) => acc.Add(m.Item1, m.Item2))))),
        (2, Gen.Select(Gen.OneOf(ReadPaths), HostileValues.Any, Gen.Bool, DuplicateKey)),
        (2, Gen.Select(Gen.OneOf(ReadPaths.Where(p => p.Contains('.')).ToArray()), HostileValues.Any, (path, value) =>
            new Mutation("literal-dotted:" + path, item => MessageOf(item) is RawObject m ? item.SetAt(["message"], m.Add(RawString.Of(path), value)) : item))),
        (1, Gen.Select(Gen.OneOf("", "traits", "context.traits", "properties", "context"), path => new Mutation("json:escape-all:" + path, item =>
        {
            string[] steps = path.Length == 0 ? ["message"] : Mutation.Steps("message", path);
            return item.At(steps) is { } value ? item.SetAt(steps, Escaping.EscapeAll(value)) : item;
        }))),
        (1, Gen.Select(Gen.OneOf(OverridePaths), Gen.Select(OddKeys.Key, HostileValues.Any).Array[0, 3], (path, members) =>
            Mutation.Set("override:" + path, Mutation.Steps("message", path), new RawObject([.. members.Select(m => new RawMember(m.Item1, m.Item2))])))),
        (2, Gen.Select(Gen.OneOf("android", "Android", "ios", "iOS", "watchos", "ipados", "tvos", "ANDROİD", "windows"), Gen.OneOf("tok-123", "", "\ud800x"),
            Gen.OneOf("chrome", "fcm", "gcm", "apns", "wns", "mpns", "huawei", "FCM"), DeviceToken)),
        (1, Gen.OneOf(
            new Mutation("message:statusCode", item => item.SetAt(["message", "statusCode"], RawToken.Number("200"))
                .SetAt(["message", "body"], RawJson.Parse("{\"JSON\":{\"d\":[{\"type\":\"event\"}]}}"u8))),
            new Mutation("message:statusCode-no-d", item => item.SetAt(["message", "statusCode"], RawToken.Number("200"))
                .SetAt(["message", "body"], RawJson.Parse("{\"JSON\":{}}"u8))),
            new Mutation("message:retl", item => item.SetAt(["message", "channel"], RawString.Of("sources"))),
            new Mutation("message:mapped", item => item.SetAt(["message", "context", "mappedToDestination"], RawToken.True)))));

    /// <summary>A second member with the key at <paramref name="path"/> (before the existing one, or after it: JavaScript reads the last).</summary>
    private static Mutation DuplicateKey(string path, RawJson value, bool before)
    {
        string[] steps = Mutation.Steps("message", path);
        string name = steps[^1];
        return Mutation.OnObject($"dup-key:{path}:{(before ? "before" : "after")}", steps[..^1], parent =>
        {
            int at = parent.LastIndexOf(name);
            return at < 0 ? parent.Add(RawString.Of(name), value) : parent.Insert(before ? at : at + 1, RawString.Of(name), value);
        });
    }

    /// <summary>An identify that sends a device token (objectId mode, a mobile OS): the two-entry outcome.</summary>
    private static Mutation DeviceToken(string os, string token, string tokenType) => new($"device:{os}:{tokenType}", item =>
        item.SetAt(["message", "type"], RawString.Of("identify"))
            .SetAt(["message", "anonymousId"], RawString.Of("anon-" + token))
            .SetAt(["message", "context", "os", "name"], RawString.Of(os))
            .SetAt(["message", "context", "device", "token"], RawString.Of(token))
            .SetAt(["message", "integrations", "CleverTap", "deviceTokenType"], RawString.Of(tokenType))
            .SetAt(["destination", "Config", "enableObjectIdMapping"], RawToken.True));
}

/// <summary>Rewrites text with every key and string fully escaped (<c>\uXXXX</c>), the same values in other bytes.</summary>
public static class Escaping
{
    public static RawJson EscapeAll(RawJson value) => value switch
    {
        RawString s => RawString.Escaped(s.Value),
        RawArray a => new RawArray([.. a.Items.Select(EscapeAll)]),
        RawObject o => new RawObject([.. o.Members.Select(m => new RawMember(RawString.Escaped(m.Name), EscapeAll(m.Value)))]),
        _ => value,
    };
}
