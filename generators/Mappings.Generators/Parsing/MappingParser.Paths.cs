using Mappings.Generators.Diagnostics;
using Mappings.Generators.Model;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// Paths: message paths, $message direct access, $config and $name roots, names.
internal static partial class MappingParser
{
    private static ValuePath? ParseValuePath(FileContext file, string text, TextSpan span, Scope scope)
    {
        if (text.StartsWith("@", System.StringComparison.Ordinal))
        {
            file.Report(DiagnosticDescriptors.InvalidPath, span, text, "a path list (@name) gives several paths; use it with \"paths\"");
            return null;
        }

        if (IsDirectAccess(text))
        {
            if (!scope.Message)
            {
                file.Report(DiagnosticDescriptors.InvalidDirectAccess, span, text, "there is no message here. Request settings are computed from the destination's config only: use $config.name or constants.");
                return null;
            }

            return ParseDirectAccess(file, text, span);
        }

        if (text.StartsWith("$", System.StringComparison.Ordinal))
        {
            int dot = text.IndexOf('.');
            string name = dot < 0 ? text.Substring(1) : text.Substring(1, dot - 1);
            string rest = dot < 0 ? string.Empty : text.Substring(dot + 1);
            if (!IsIdentifier(name))
            {
                file.Report(DiagnosticDescriptors.InvalidPath, span, text, "'$' must be followed by a name of letters, digits and '_'");
                return null;
            }

            if (dot >= 0 && MessagePathError(rest) is { } restError)
            {
                file.Report(DiagnosticDescriptors.InvalidPath, span, text, restError);
                return null;
            }

            if (name == "config")
            {
                return new ValuePath(PathRoot.Config, string.Empty, rest);
            }

            if (!scope.Lets)
            {
                file.Report(DiagnosticDescriptors.RequestSettingsReadConfigOnly, span, "The named value '$" + name + "'");
                return null;
            }

            file.Refer(ReferenceKind.Let, name, span);
            return new ValuePath(PathRoot.Let, name, rest);
        }

        if (MessagePathError(text) is { } error)
        {
            file.Report(DiagnosticDescriptors.InvalidPath, span, text, error);
            return null;
        }

        CheckMessageScope(file, span, scope, "The message path '" + text + "'");
        return new ValuePath(PathRoot.Message, string.Empty, text);
    }

    /// <summary>
    /// A message path as fallback lists and custom fields take it: a path looked up with get-value
    /// (<c>traits.email</c>) or direct property access (<c>$message.traits.email</c>).
    /// </summary>
    private static ValuePath? ParseMessagePath(FileContext file, string text, TextSpan span)
    {
        if (IsDirectAccess(text))
        {
            return ParseDirectAccess(file, text, span);
        }

        if (MessagePathError(text) is { } error)
        {
            file.Report(DiagnosticDescriptors.InvalidPath, span, text, error);
            return null;
        }

        return new ValuePath(PathRoot.Message, string.Empty, text);
    }

    /// <summary>The root of direct property access to the message.</summary>
    internal const string DirectAccessRoot = "$message";

    /// <summary>True for <c>$message</c> and <c>$message.…</c> (the name <c>message</c> is reserved for it).</summary>
    internal static bool IsDirectAccess(string text)
        => text.StartsWith(DirectAccessRoot, System.StringComparison.Ordinal)
           && (text.Length == DirectAccessRoot.Length || text[DirectAccessRoot.Length] == '.');

    private static ValuePath? ParseDirectAccess(FileContext file, string text, TextSpan span)
    {
        if (DirectAccessError(text) is { } error)
        {
            file.Report(DiagnosticDescriptors.InvalidDirectAccess, span, text, error);
            return null;
        }

        string names = text.Length == DirectAccessRoot.Length ? string.Empty : text.Substring(DirectAccessRoot.Length + 1);
        return new ValuePath(PathRoot.DirectMessage, string.Empty, names);
    }

    /// <summary>Null when <c>$message…</c> is well formed, else what is wrong and how to write it.</summary>
    internal static string? DirectAccessError(string text)
    {
        const string Write = " Write $message followed by dot-separated property names, e.g. $message.traits.overrideFields.";
        if (text.Length == DirectAccessRoot.Length)
        {
            return null;
        }

        string[] names = text.Substring(DirectAccessRoot.Length + 1).Split('.');
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                return (i == names.Length - 1 ? "it ends with '.'." : "it has an empty property name ('..').") + Write;
            }
        }

        if (text.TrimEnd().Length != text.Length)
        {
            return "it ends with white space." + Write;
        }

        if (text.IndexOf('\\') >= 0)
        {
            return "a backslash does not escape '.' here: every '.' separates two property names. "
                + "To read a key that holds a dot, use a message path, which get-value reads as one key (traits.a\\.b).";
        }

        return null;
    }

    /// <summary>Null when the text is a valid message path, else why not.</summary>
    internal static string? MessagePathError(string path)
    {
        if (path.Length == 0)
        {
            return "it is empty";
        }

        if (path.StartsWith("$", System.StringComparison.Ordinal) || path.StartsWith("@", System.StringComparison.Ordinal))
        {
            return "only a message path is allowed here";
        }

        if (path.Trim().Length != path.Length)
        {
            return "it starts or ends with white space";
        }

        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length == 0)
            {
                return i == 0 ? "it starts with '.'" : i == segments.Length - 1 ? "it ends with '.'" : "it has an empty segment ('..')";
            }
        }

        return null;
    }

    internal static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_') || name[0] > 127)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c > 127 || !(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
