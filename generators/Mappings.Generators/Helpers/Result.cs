using System;
using Mappings.Generators.Diagnostics;

namespace Mappings.Generators.Helpers;

/// <summary>
/// The output of one pipeline step: a value and the diagnostics found while producing it.
/// </summary>
/// <remarks>
/// Both parts are equatable, so a step whose value and diagnostics did not change is reported as
/// <c>Unchanged</c> and nothing downstream re-runs. The pipeline splits a result into two providers —
/// values for source output, diagnostics for reporting — so each is registered separately.
/// </remarks>
internal sealed record Result<TValue>(TValue Value, EquatableArray<DiagnosticInfo> Diagnostics)
    where TValue : IEquatable<TValue>?
{
    public Result(TValue value)
        : this(value, EquatableArray<DiagnosticInfo>.Empty)
    {
    }

    public bool HasDiagnostics => !Diagnostics.IsEmpty;
}
