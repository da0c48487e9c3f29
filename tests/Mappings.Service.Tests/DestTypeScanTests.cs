using System.Text;
using Mappings.Service.DestinationSelection;

namespace Mappings.Service.Tests;

/// <summary>The router body's destType found without reading the body whole (the tail, else one forward pass).</summary>
public sealed class DestTypeScanTests
{
    [Theory]
    [InlineData("""{"input":[],"destType":"CLEVERTAP"}""", "CLEVERTAP", true)]
    [InlineData("""{"input":[] , "destType" : "clevertap" }  """, "clevertap", true)]
    [InlineData("""{"destType":"CLEVERTAP","input":[]}""", "CLEVERTAP", true)]
    [InlineData("""{"input":[{"destType":"X"}],"destType":"A\u004d"}""", "AM", true)]
    [InlineData("""{"input":[],"x":"\",\"destType\":\"AM"}""", "undefined", false)]
    [InlineData("""{"input":[],"x":{"destType":"AM"}}""", "undefined", false)]
    [InlineData("""{"input":[],"destType":"AM","destType":"CLEVERTAP"}""", "CLEVERTAP", true)]
    [InlineData("""{"input":[],"destType":5}""", "5", false)]
    [InlineData("""{"destType":1e2,"input":[],"x":1}""", "100", false)]
    [InlineData("""{"destType":[1,[2,null],"a"],"input":[],"x":1}""", "1,2,,a", false)]
    [InlineData("""{"destType":{"a":1},"input":[],"x":1}""", "[object Object]", false)]
    [InlineData("""{"destType":null,"input":[],"x":1}""", "null", false)]
    [InlineData("""{"destType":-0,"input":[],"x":1}""", "0", false)]
    public void DestType_scan(string body, string destType, bool isString)
    {
        var scan = DestTypeScan.Find(Encoding.UTF8.GetBytes(body));
        Assert.True(scan.IsObject);
        Assert.Equal(destType, scan.DestType);
        Assert.Equal(isString, scan.IsString);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("")]
    public void DestType_scan_of_other_bodies(string body) => Assert.False(DestTypeScan.Find(Encoding.UTF8.GetBytes(body)).IsObject);

    /// <summary>
    /// JSON allows an escaped lone surrogate, and JavaScript reads it as any other text: such a key
    /// is just another member, and such a destType is named as it was sent (Utf8JsonReader's
    /// ValueTextEquals and GetString throw on them; a router body with one was answered 500).
    /// </summary>
    [Theory]
    [InlineData("""{"\udc00":1,"input":[],"destType":"CLEVERTAP"}""", "CLEVERTAP")]
    [InlineData("""{"input":[],"destType":"CLEVERTAP","\udc00":1}""", "CLEVERTAP")]
    [InlineData("""{"destType":"CLEVERTAP","\ud800\u0041":"\udc00","input":[],"x":1}""", "CLEVERTAP")]
    [InlineData("""{"dest\u0054ype":"CLEVERTAP","\udc00":1,"input":[]}""", "CLEVERTAP")]
    [InlineData("""{"input":[],"\udc00":"\udc00","destType":"a\u0062\ud83d\ude00"}""", @"ab\ud83d\ude00")]
    [InlineData("""{"input":[],"destType":"\udc00x"}""", @"\udc00x")]
    [InlineData("""{"destType":"\ud800","input":[],"x":1}""", @"\ud800")]
    public void Lone_surrogates_are_text_like_any_other(string body, string escapedDestType)
    {
        string destType = System.Text.RegularExpressions.Regex.Unescape(escapedDestType);
        foreach (var scan in new[] { DestTypeScan.Find(Encoding.UTF8.GetBytes(body)), DestTypeScan.Forward(Encoding.UTF8.GetBytes(body)) })
        {
            Assert.True(scan.IsObject);
            Assert.True(scan.IsString);
            Assert.Equal(destType, scan.DestType);
        }
    }
}
