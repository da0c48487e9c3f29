using System.Net.Http;
using System.Net.Sockets;
using Mappings.Runtime.Http;

namespace Mappings.Runtime.Tests;

/// <summary>Requests that got no HTTP answer are named as Node names them (spec §8.2, §14.10).</summary>
public sealed class TransportFailureTests
{
    [Fact]
    public void Transport_failures_get_nodes_names()
    {
        Assert.Equal(TransportFailure.ConnectionRefused, TransportFailure.Classify(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(TransportFailure.ConnectionReset, TransportFailure.Classify(new IOException("x", new SocketException((int)SocketError.ConnectionReset))));
        Assert.Equal(TransportFailure.NotFound, TransportFailure.Classify(new HttpRequestException("x", new SocketException((int)SocketError.HostNotFound))));
        Assert.Equal(TransportFailure.TryAgain, TransportFailure.Classify(new HttpRequestException("x", new SocketException((int)SocketError.TryAgain))));
        Assert.Equal(TransportFailure.TimedOut, TransportFailure.Classify(new SocketException((int)SocketError.TimedOut)));
        Assert.Equal(TransportFailure.NotFound, TransportFailure.Classify(new HttpRequestException(HttpRequestError.NameResolutionError)));
        Assert.Equal(TransportFailure.ConnectionReset, TransportFailure.Classify(new HttpRequestException(HttpRequestError.ResponseEnded)));
        Assert.Equal(500, TransportFailure.Aborted.Status);
        Assert.Equal("[ENOTFOUND] :: DNS lookup failed", TransportFailure.NotFound.Message);
        Assert.Equal(400, TransportFailure.NotFound.Status);
        Assert.Equal("[ERR_X]", TransportFailure.Unknown("ERR_X").Message);
    }
}
