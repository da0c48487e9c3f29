using System.Collections.Generic;
using System.Text;

namespace Mappings.Generators.Emitting;

/// <summary>Lines of C# statements with indentation (method bodies, placed into templates).</summary>
internal sealed class CodeWriter
{
    private readonly List<string> _lines = new();
    private int _indent;

    public void Line(string text) => _lines.Add(text.Length == 0 ? string.Empty : new string(' ', _indent * 4) + text);

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    /// <summary>Opens a bare block (<c>{</c>), which keeps its variables local.</summary>
    public void OpenBlock()
    {
        Line("{");
        _indent++;
    }

    public void Close(string after = "")
    {
        _indent--;
        Line("}" + after);
    }

    /// <summary>The lines, indented by <paramref name="baseIndent"/> levels, joined with \n.</summary>
    public string ToText(int baseIndent)
    {
        var builder = new StringBuilder();
        string pad = new(' ', baseIndent * 4);
        for (int i = 0; i < _lines.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('\n');
            }

            if (_lines[i].Length > 0)
            {
                builder.Append(pad).Append(_lines[i]);
            }
        }

        return builder.ToString();
    }
}
