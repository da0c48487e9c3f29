using Mappings.Generators.Helpers;

namespace Mappings.Generators.Model;

/// <summary>A test on values of the event (<c>when</c>).</summary>
internal abstract record Condition;

/// <summary><c>{"truthy": x}</c> or, negated, <c>{"falsy": x}</c> (JavaScript truthiness).</summary>
internal sealed record TruthyCondition(ValueExpr Operand, bool Negated) : Condition;

/// <summary><c>{"equals": [x, constant]}</c> — strict equality with a JSON constant.</summary>
internal sealed record EqualsCondition(ValueExpr Operand, JsonConst Constant) : Condition;

/// <summary><c>{"in": [x, [constants]]}</c> — strict equality with one of the constants.</summary>
internal sealed record InCondition(ValueExpr Operand, EquatableArray<JsonConst> Constants) : Condition;

/// <summary><c>{"all": [...]}</c> — every condition, evaluated in order, stopping at the first false.</summary>
internal sealed record AllCondition(EquatableArray<Condition> Items) : Condition;

/// <summary><c>{"any": [...]}</c> — one of the conditions, evaluated in order, stopping at the first true.</summary>
internal sealed record AnyCondition(EquatableArray<Condition> Items) : Condition;

/// <summary><c>{"not": c}</c>.</summary>
internal sealed record NotCondition(Condition Inner) : Condition;
