namespace Mappings.Runtime.Js;

/// <summary>
/// Bad input that makes the reference transformer throw a JavaScript runtime error (a 500 there).
/// Mappings fails only that event, with a 400 and this message (deliberate difference D1).
/// Thrown only on such rare inputs; the message names the offending field.
/// </summary>
public sealed class JsTypeError : Exception
{
    public JsTypeError(string message)
        : base(message)
    {
    }
}
