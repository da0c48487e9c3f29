using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// How a destination deletes users (<c>/deleteUsers</c>), generated from the <c>userDeletion</c>
/// section of its destination.json. The delivery code (HTTP) uses it; the values come from the
/// deletion request's <c>config</c>.
/// </summary>
public sealed class UserDeletionSettings
{
    public UserDeletionSettings(
        int batchSize,
        string userIdKey,
        string idsKey,
        string[] requiredConfig,
        string missingConfigError,
        string failureError,
        Func<JsHeap, int, int> endpoint,
        Action<JsHeap, int, Action<string, int>> headers)
    {
        BatchSize = batchSize;
        UserIdKey = userIdKey;
        IdsKey = idsKey;
        RequiredConfig = requiredConfig;
        MissingConfigError = missingConfigError;
        FailureError = failureError;
        Endpoint = endpoint;
        Headers = headers;
    }

    /// <summary>Most ids in one deletion request.</summary>
    public int BatchSize { get; }

    /// <summary>The key of a user attribute entry holding the id.</summary>
    public string UserIdKey { get; }

    /// <summary>The body key holding the ids (<c>{"identity": [...]}</c>).</summary>
    public string IdsKey { get; }

    /// <summary>Config keys that must all be truthy.</summary>
    public IReadOnlyList<string> RequiredConfig { get; }

    /// <summary>The 400 message when a required config key is missing.</summary>
    public string MissingConfigError { get; }

    /// <summary>The message of a failed deletion request.</summary>
    public string FailureError { get; }

    /// <summary>The URL (a heap string value) for a config.</summary>
    public Func<JsHeap, int, int> Endpoint { get; }

    /// <summary>Calls back with each header's name and value (heap value) for a config.</summary>
    public Action<JsHeap, int, Action<string, int>> Headers { get; }
}
