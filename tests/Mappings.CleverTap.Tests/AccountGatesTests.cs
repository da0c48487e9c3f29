using Mappings.CleverTap.Delivery;

namespace Mappings.CleverTap.Tests;

/// <summary>At most n requests in flight per CleverTap account (D3); the rest wait their turn, or give up when cancelled.</summary>
public sealed class AccountGatesTests
{
    [Fact]
    public async Task Account_gates_let_n_in_and_queue_the_rest()
    {
        var gates = new AccountGates(2);
        var a = await gates.EnterAsync("acct", CancellationToken.None);
        var b = await gates.EnterAsync("acct", CancellationToken.None);
        var third = gates.EnterAsync("acct", CancellationToken.None).AsTask();
        var other = await gates.EnterAsync("other", CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, gates.InFlight("acct"));
        a.Dispose();
        var c = await third;
        b.Dispose();
        c.Dispose();
        other.Dispose();
        Assert.Equal(0, gates.InFlight("acct"));

        using var cancel = new CancellationTokenSource(50);
        var d = await gates.EnterAsync("x", CancellationToken.None);
        var e = await gates.EnterAsync("x", CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await gates.EnterAsync("x", cancel.Token));
        d.Dispose();
        e.Dispose();
        Assert.Equal(0, gates.InFlight("x"));
    }
}
