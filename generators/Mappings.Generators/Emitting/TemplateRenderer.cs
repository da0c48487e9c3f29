using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis.CSharp;
using Scriban;
using System.Threading.Tasks;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Mappings.Generators.Emitting;

/// <summary>
/// Renders a model through one of the Scriban templates embedded in this assembly
/// (<c>Emitting/Templates/*.sbn-cs</c>, resource <c>Mappings.Generators.Templates.&lt;file&gt;</c>).
/// </summary>
/// <remarks>
/// <para>
/// Each template has one static instance here and is read and parsed once per process, on first use,
/// then reused by every render (a parsed <see cref="Template"/> is not modified by rendering; each
/// render gets its own <see cref="TemplateContext"/>, so concurrent renders are safe). Parsing is lazy
/// so that an error in one template surfaces as that template's <see cref="InvalidOperationException"/>,
/// rather than as a <see cref="TypeInitializationException"/> that would break every template.
/// </para>
/// <para>
/// <b>Names in templates are the C# names.</b> The model's public properties are imported at the root
/// of the template with their names unchanged (<c>{{ TypeName }}</c>, <c>{{ for Rule in Rules }}</c>),
/// and the same renamer applies to nested objects, so a property can be found in the templates by its
/// C# name. Scriban's built-ins keep their own snake_case names (<c>string.upcase</c>).
/// Helpers for C# output live under <c>CSharp</c> (<c>{{ CSharp.StringLiteral RelativePath }}</c>).
/// </para>
/// <para>
/// Rendering is strict: an unknown variable or member is an error, not an empty string. Output uses
/// <c>\n</c> line endings and the invariant culture whatever the machine, so generated files are
/// identical everywhere.
/// </para>
/// </remarks>
internal sealed class TemplateRenderer
{
    public static readonly TemplateRenderer Mapping = new("Mapping.sbn-cs");
    public static readonly TemplateRenderer InvalidMapping = new("InvalidMapping.sbn-cs");
    public static readonly TemplateRenderer Destination = new("Destination.sbn-cs");

    /// <summary>The shapes the other templates share (included by Mapping.sbn-cs and Destination.sbn-cs).</summary>
    public static readonly TemplateRenderer Code = new("Code.sbn-cs");

    private const string ResourcePrefix = "Mappings.Generators.Templates.";

    // Deliberately no static field or initializer of a Scriban type: if Scriban.Signed cannot be
    // loaded, the failure surfaces from Render as "FileNotFoundException … Scriban.Signed" instead of
    // an opaque TypeInitializationException of this class.
    private readonly object _parseLock = new();
    private Template? _template;

    private TemplateRenderer(string name) => Name = name;

    /// <summary>File name of the template, e.g. <c>Mapping.sbn-cs</c>.</summary>
    public string Name { get; }

    /// <summary>Renders <paramref name="model"/>, whose public properties become the template's root variables.</summary>
    /// <exception cref="InvalidOperationException">The template does not parse, or fails while rendering this model.</exception>
    public string Render(object model)
    {
        Template template = GetTemplate();

        var globals = new ScriptObject();
        MemberRenamerDelegate keepCSharpNames = KeepCSharpName;
        globals.Import(model, renamer: keepCSharpNames);
        var helpers = new ScriptObject();
        helpers.Import(typeof(CSharpFunctions), renamer: keepCSharpNames);
        globals.SetValue("CSharp", helpers, readOnly: true);

        var context = new TemplateContext
        {
            MemberRenamer = keepCSharpNames,
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            NewLine = "\n",
            TemplateLoader = IncludeLoader.Instance,
        };
        context.CachedTemplates[Code.Name] = Code.GetTemplate();
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(globals);

        try
        {
            return template.Render(context).Replace("\r\n", "\n");
        }
        catch (ScriptRuntimeException exception)
        {
            throw new InvalidOperationException(
                $"Template '{Name}' failed to render a {model.GetType().Name}: {exception.Message}",
                exception);
        }
    }

    private static string KeepCSharpName(MemberInfo member) => member.Name;

    /// <summary>
    /// Serves <c>{{ include 'Code.sbn-cs' }}</c>: the included template is parsed once per process
    /// like the others and handed to each render through its context's cache, so the loader itself
    /// only names it.
    /// </summary>
    private sealed class IncludeLoader : ITemplateLoader
    {
        public static readonly IncludeLoader Instance = new();

        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath)
            => throw new InvalidOperationException($"Template '{templatePath}' is not one of the templates that can be included ({Code.Name}).");

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath)
            => new(Load(context, callerSpan, templatePath));
    }

    /// <summary>The parsed template: read and parsed on first successful use, then reused.</summary>
    private Template GetTemplate()
    {
        lock (_parseLock)
        {
            return _template ??= Parse(Name);
        }
    }

    private static Template Parse(string name)
    {
        string resourceName = ResourcePrefix + name;
        using Stream? stream = typeof(TemplateRenderer).Assembly.GetManifestResourceStream(resourceName);
        if (stream is null)
        {
            throw new InvalidOperationException(
                $"Template '{name}' is not embedded in {typeof(TemplateRenderer).Assembly.GetName().Name} (expected resource '{resourceName}'; "
                + "templates belong in Emitting/Templates/*.sbn-cs).");
        }

        string text;
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd().Replace("\r\n", "\n");
        }

        Template template = Template.Parse(text, sourceFilePath: name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException(
                $"Template '{name}' does not parse: " + string.Join("; ", template.Messages.Select(static m => m.ToString())));
        }

        return template;
    }

    /// <summary>Functions available to templates as <c>CSharp.*</c>.</summary>
    private static class CSharpFunctions
    {
        /// <summary>A C# string literal, quoted and escaped: <c>a"b</c> → <c>"a\"b"</c>.</summary>
        public static string StringLiteral(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

        /// <summary>
        /// A raw string literal on one line (<c>"""{"a":"b"}"""</c>) where the text allows it (no line
        /// break, no <c>"""</c>, no quote at either end): JSON stays readable. Otherwise <see cref="StringLiteral"/>.
        /// </summary>
        public static string RawStringLiteral(string value)
            => value.Length > 0 && value.IndexOf("\"\"\"", StringComparison.Ordinal) < 0 && value.IndexOfAny(new[] { '\n', '\r', '\u0085', '\u2028', '\u2029' }) < 0
               && value[0] != '"' && value[value.Length - 1] != '"'
                ? "\"\"\"" + value + "\"\"\""
                : StringLiteral(value);

        /// <summary>A UTF-8 string literal: <c>android</c> → <c>"android"u8</c>.</summary>
        public static string Utf8Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true) + "u8";

        /// <summary>A <c>double</c> literal: <c>0.5d</c>, <c>double.PositiveInfinity</c>.</summary>
        public static string NumberLiteral(double value) => Names.NumberLiteral(value);
    }
}
