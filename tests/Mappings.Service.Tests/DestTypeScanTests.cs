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
}
