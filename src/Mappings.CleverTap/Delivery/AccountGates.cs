namespace Mappings.CleverTap.Delivery;

/// <summary>
/// At most N requests in flight per CleverTap account (deliberate difference D3); further requests
/// wait their turn in arrival order. A gate exists only while some request of its account holds or
/// awaits it, so the table never outgrows the accounts currently sending.
/// </summary>
public sealed class AccountGates
{
    private readonly int _limit;
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public AccountGates(int limit)
    {
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The per-account limit must be at least 1.");
        _limit = limit;
    }

    public int Limit => _limit;

    /// <summary>Requests of an account that hold a turn right now (for tests and diagnostics).</summary>
    public int InFlight(string account)
    {
        lock (_lock) return _gates.TryGetValue(account, out var gate) ? _limit - gate.Semaphore.CurrentCount : 0;
    }

    /// <summary>Every account with requests in flight or waiting: (account, in flight, waiting) (metrics).</summary>
    public List<(string Account, int InFlight, int Waiting)> Snapshot()
    {
        lock (_lock)
        {
            var accounts = new List<(string, int, int)>(_gates.Count);
            foreach (var (account, gate) in _gates)
            {
                int inFlight = _limit - gate.Semaphore.CurrentCount;
                accounts.Add((account, inFlight, Math.Max(0, gate.Users - inFlight)));
            }
            return accounts;
        }
    }

    /// <summary>Waits for a turn of the account; dispose the lease to give it back.</summary>
    public async ValueTask<Lease> EnterAsync(string account, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_lock)
        {
            if (!_gates.TryGetValue(account, out gate!))
            {
                gate = new Gate(_limit);
                _gates.Add(account, gate);
            }
            gate.Users++;
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(account, gate, entered: false);
            throw;
        }
        return new Lease(this, account, gate);
    }

    private void Leave(string account, Gate gate, bool entered)
    {
        if (entered) gate.Semaphore.Release();
        lock (_lock)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(account);
                gate.Semaphore.Dispose();
            }
        }
    }

    internal sealed class Gate(int limit)
    {
        public readonly SemaphoreSlim Semaphore = new(limit, limit);
        public int Users;
    }

    /// <summary>One turn of an account.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly AccountGates? _owner;
        private readonly string _account;
        private readonly Gate _gate;

        internal Lease(AccountGates owner, string account, Gate gate)
        {
            _owner = owner;
            _account = account;
            _gate = gate;
        }

        public void Dispose() => _owner?.Leave(_account, _gate, entered: true);
    }
}
