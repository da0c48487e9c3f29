namespace Mappings.Generators.Tests;

/// <summary>
/// The test a field's write is left with: none when the value cannot fail it. A value its own
/// <c>when</c> has just found truthy (<c>{"truthy": path}</c> of the same path, alone or in
/// <c>all</c>) is V-valid, defined and present, so the generated code writes it without a test;
/// any other condition keeps the test. A <c>paths</c> list is never undefined (its first V-valid
/// value, else null), so <c>"emit": "defined"</c> keeps no test for it; a template does not test
/// again a value the field's or the case's condition has just found truthy; inside an extra record
/// or object whose condition requires a named value truthy, that named value is written without a
/// test (read once per event, it stays truthy). Cases whose every value is V-valid after its own
/// condition (truthy, <c>equals</c> or <c>in</c> of V-valid constants, a V-valid constant) and a
/// template that cannot come out empty are written without a test too; the path a case's test reads
/// first, and again, is read once. The compiled mapper writes what the rules say either way.
/// </summary>
public sealed class EmitTestTests
{
    private const string Identify = """
        {
          "record": {
            "fields": [
              { "key": "alone", "path": "traits.a", "when": { "truthy": "traits.a" } },
              { "key": "inAll", "path": "$userId", "when": { "all": [{ "truthy": "traits.flag" }, { "truthy": "$userId" }] } },
              { "key": "other", "path": "traits.c", "when": { "truthy": "traits.flag" } },
              { "key": "falsy", "path": "traits.d", "when": { "falsy": "traits.a" } },
              { "key": "inAny", "path": "traits.e", "when": { "any": [{ "truthy": "traits.e" }, { "truthy": "traits.flag" }] } },
              { "key": "mapped", "path": "traits.g", "when": { "truthy": "traits.g" }, "valueMap": { "yes": ["y"] } },
              { "key": "defined", "path": "traits.h", "emit": "defined", "when": { "truthy": "traits.h" } },
              { "key": "list", "paths": ["traits.x", "traits.y"], "emit": "defined" },
              { "key": "greeting", "template": "hi {{n}}", "values": { "n": { "path": "traits.n" } }, "when": { "truthy": "traits.n" } },
              {
                "key": "site",
                "cases": [
                  { "when": { "all": [{ "truthy": "traits.s" }, { "truthy": "traits.t" }] }, "template": "{{s}}/{{t}}/{{u}}", "values": { "s": { "path": "traits.s" }, "t": { "path": "traits.t" }, "u": { "path": "traits.u" } } },
                  { "const": "none" }
                ]
              },
              {
                "key": "kind",
                "cases": [
                  { "when": { "in": ["traits.k", ["a", "b"]] }, "path": "traits.k" },
                  { "when": { "equals": ["traits.k", 0] }, "path": "traits.k" },
                  { "const": "other" }
                ]
              },
              { "key": "label", "template": "n: {{m}}", "values": { "m": { "path": "traits.m" } }, "trim": true, "otherwise": "none" },
              { "key": "blank", "template": " {{m}} ", "values": { "m": { "path": "traits.m" } }, "trim": true, "otherwise": "none" },
              {
                "key": "prop",
                "cases": [
                  { "when": { "all": [{ "truthy": "properties.p" }, { "not": { "equals": ["properties.p", "none"] } }] }, "template": "p={{p}}", "values": { "p": { "path": "properties.p" } } },
                  { "const": "default" }
                ]
              },
              {
                "key": "second",
                "cases": [
                  { "when": { "truthy": "traits.flag" }, "const": "flag" },
                  { "when": { "in": ["properties.r", ["x"]] }, "path": "properties.r" },
                  { "const": "no" }
                ]
              }
            ]
          }
        }
        """;

    [Fact]
    public void A_value_its_own_condition_found_truthy_is_written_without_a_test()
    {
        string code = DirectAccessTests.DemoIdentifyCode(Identify);
        Assert.Contains("heap.AppendUnique(record, AloneKey, traits.a);", code, StringComparison.Ordinal);
        Assert.Contains("heap.AppendUnique(record, InAllKey, lets.UserId(context));", code, StringComparison.Ordinal);
        Assert.Contains("heap.AppendUnique(record, DefinedKey, traits.h);", code, StringComparison.Ordinal);
        // A paths list gives its first V-valid value or null, never undefined: "defined" always writes.
        Assert.Contains("heap.AppendUnique(record, ListKey, Lookup.FirstValid(heap, traits.x, traits.y));", code, StringComparison.Ordinal);
        // A template does not test again the values the condition before it found truthy.
        Assert.DoesNotContain("heap.IsVValid(n)", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsVValid(u))", code, StringComparison.Ordinal);
        Assert.DoesNotContain("heap.IsVValid(s)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("heap.IsVValid(t)", code, StringComparison.Ordinal);
        // Cases whose every value is V-valid after its condition; a template that cannot come out empty.
        Assert.Contains("heap.AppendUnique(record, KindKey, kind);", code, StringComparison.Ordinal);
        Assert.Contains("heap.AppendUnique(record, LabelKey, label);", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsVValid(blank)) heap.AppendUnique(record, BlankKey, blank);", code, StringComparison.Ordinal);
        // The path a case's test reads first, and again, is read once just before the test (in an else block for a later case).
        Assert.Contains("int p = heap.Get(message, PropertiesPPath);\n", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsTruthy(p) && !heap.StringEquals(p, \"none\"u8))", code, StringComparison.Ordinal);
        Assert.Contains("Templates.AppendValue(heap, text, value: p, what:", code, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"heap\.Get\(message, PropertiesPPath\)"));
        Assert.Contains("int r = heap.Get(message, PropertiesRPath);\n", code, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"heap\.Get\(message, PropertiesRPath\)"));
        // Another path's truthiness, falsiness, one of several conditions, a value map: the test stays.
        Assert.Contains("if (heap.IsVValid(other)) heap.AppendUnique(record, OtherKey, other);", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsVValid(falsy)) heap.AppendUnique(record, FalsyKey, falsy);", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsVValid(inAny)) heap.AppendUnique(record, InAnyKey, inAny);", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsVValid(mapped)) heap.AppendUnique(record, MappedKey, mapped);", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_value_an_enclosing_condition_found_truthy_is_written_without_a_test()
    {
        const string identify = """
            {
              "record": { "fields": [{ "key": "type", "const": "main" }] },
              "extraRecords": [
                {
                  "when": { "all": [{ "truthy": "$userId" }, { "truthy": "traits.flag" }] },
                  "record": {
                    "fields": [
                      { "key": "who", "path": "$userId" },
                      { "key": "flag", "path": "traits.flag" },
                      { "key": "inner", "object": { "fields": [{ "key": "again", "path": "$userId" }] } }
                    ]
                  }
                }
              ]
            }
            """;
        string code = DirectAccessTests.DemoIdentifyCode(identify);
        Assert.Contains("heap.AppendUnique(extraRecord, WhoKey, lets.UserId(context));", code, StringComparison.Ordinal);
        Assert.Contains("heap.AppendUnique(inner, AgainKey, lets.UserId(context));", code, StringComparison.Ordinal);
        // A message path read again where only new objects were written since: found truthy again.
        Assert.Contains("heap.AppendUnique(extraRecord, FlagKey, heap.Get(message, TraitsFlagPath));", code, StringComparison.Ordinal);
    }

    /// <summary>
    /// A message path an enclosing condition found truthy is written without a test until a stage
    /// that may write into input objects (here custom fields, whose path writes reach the
    /// message's own objects through the ones they share) has run; after it, the test stays.
    /// </summary>
    private const string ReadAgain = """
        {
          "record": {
            "fields": [
              {
                "key": "x",
                "when": { "truthy": "traits.n.v" },
                "object": {
                  "fields": [
                    { "key": "before", "path": "traits.n.v" },
                    { "key": "copied", "object": { "customFields": { "from": ["traits"] } } },
                    { "key": "after", "path": "traits.n.v" }
                  ]
                }
              }
            ]
          }
        }
        """;

    [Fact]
    public void A_message_path_an_enclosing_condition_found_truthy_is_tested_again_only_after_input_writes()
    {
        string code = DirectAccessTests.DemoIdentifyCode(ReadAgain);
        Assert.Contains("heap.AppendUnique(x, BeforeKey, heap.Get(message, TraitsNVPath));", code, StringComparison.Ordinal);
        Assert.Contains("if (heap.IsVValid(after)) heap.AppendUnique(x, AfterKey, after);", code, StringComparison.Ordinal);

        // The custom fields write "n.v" into the copy of "n", which is the message's own object:
        // the path then finds null, which is not written.
        string item = """{ "message": { "type": "identify", "traits": { "n": { "v": 1 }, "n.v": null } }, "destination": { "Config": {} }, "metadata": { "jobId": 1 } }""";
        Assert.Equal(
            """{"x":{"before":1,"copied":{"n":{"v":null}}}}""",
            IntegratorTests.Transform(DirectAccessTests.DemoFiles(ReadAgain), item));
    }

    /// <summary>
    /// The shared read keeps the rules' order and scope: only the path a case's test reads first
    /// is read ahead (a read that may throw is never moved before a condition that guards it), and
    /// an object built in the case reads its own <c>{"field": …}</c> values and sees what its
    /// custom fields changed.
    /// </summary>
    private const string SharedReads = """
        {
          "record": {
            "fields": [
              { "key": "K", "path": "traits.k" },
              {
                "key": "o",
                "cases": [
                  {
                    "when": { "all": [{ "truthy": { "field": "K" } }, { "not": { "equals": [{ "field": "K" }, "zzz"] } }] },
                    "object": { "fields": [{ "key": "seen", "const": "inner K truthy", "when": { "truthy": { "field": "K" } } }, { "key": "x", "const": 1 }] }
                  },
                  { "const": "none" }
                ]
              },
              {
                "key": "p",
                "cases": [
                  {
                    "when": { "all": [{ "truthy": "traits.n.v" }, { "not": { "equals": ["traits.n.v", "zzz"] } }] },
                    "object": { "customFields": { "from": ["traits"] }, "finally": [{ "key": "after", "path": "traits.n.v" }] }
                  },
                  { "const": "none" }
                ]
              },
              {
                "key": "c",
                "cases": [
                  { "when": { "all": [{ "truthy": "traits.flag" }, { "truthy": "traits.toString.caller" }] }, "path": "traits.toString.caller" },
                  { "const": "none" }
                ]
              }
            ]
          }
        }
        """;

    [Fact]
    public void A_shared_read_keeps_the_order_and_the_scope_of_the_rules()
    {
        string code = DirectAccessTests.DemoIdentifyCode(SharedReads);
        Assert.Contains("int k = heap.GetOwn(record, KKey.Utf8);", code, StringComparison.Ordinal);
        Assert.Contains("int v = heap.Get(message, TraitsNVPath);", code, StringComparison.Ordinal);
        Assert.DoesNotContain("int caller =", code, StringComparison.Ordinal);

        string item = """{ "message": { "type": "identify", "traits": { "k": "a", "n": { "v": 1 }, "n.v": 2 } }, "destination": { "Config": {} }, "metadata": { "jobId": 1 } }""";
        Assert.Equal(
            """{"K":"a","o":{"x":1},"p":{"k":"a","n":{"v":2},"after":2},"c":"none"}""",
            IntegratorTests.Transform(DirectAccessTests.DemoFiles(SharedReads), item));
    }

    public static TheoryData<string, string> Events => new()
    {
        {
            """{ "type": "identify", "userId": "u", "traits": { "a": "x", "flag": 1, "c": "c", "e": "e", "g": "y", "h": [], "n": "Ann", "s": "a", "t": 2, "u": 0, "k": "b", "m": "x" }, "properties": { "p": "v", "r": "x" } }""",
            """{"alone":"x","inAll":"u","other":"c","inAny":"e","mapped":"yes","defined":[],"list":null,"greeting":"hi Ann","site":"a/2/0","kind":"b","label":"n: x","blank":"x","prop":"p=v","second":"flag"}"""
        },
        // Falsy values: the guarded fields are not written; under "falsy", 0 and false are V-valid, "" is not.
        {
            """{ "type": "identify", "traits": { "a": 0, "flag": 1, "c": "", "d": false, "e": "", "g": "n", "h": 0 } }""",
            """{"falsy":false,"list":null,"site":"none","kind":"other","label":"none","blank":"none","prop":"default","second":"flag"}"""
        },
        {
            """{ "type": "identify", "userId": "u", "traits": { "a": "", "flag": 0, "d": 0, "e": 5, "g": "y", "x": "", "y": 0, "n": "", "s": "a", "t": "b", "u": "", "k": 0, "m": " " }, "properties": { "p": "none", "r": "x" } }""",
            """{"falsy":0,"inAny":5,"mapped":"yes","list":0,"kind":0,"label":"n:","prop":"default","second":"x"}"""
        },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void The_compiled_mapper_writes_what_the_rules_say(string message, string expected)
    {
        string item = """{ "message": """ + message + """, "destination": { "Config": {} }, "metadata": { "jobId": 1 } }""";

        Assert.Equal(expected, IntegratorTests.Transform(DirectAccessTests.DemoFiles(Identify), item));
    }
}
