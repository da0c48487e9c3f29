using System;
using System.Text.Json;
using System.Threading;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

/// <summary>
/// Placeholder parser: reads a mapping file with System.Text.Json (comments allowed) and counts the
/// properties of its root object. Invalid JSON yields MAP001 at the exact character.
/// </summary>
internal static class PlaceholderParser
{
    private static readonly JsonDocumentOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
    };

    public static Result<MappingFileInfo> Parse(string path, SourceText text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        string relativePath = MappingFilePath.GetRelativePath(path);
        string typeName = MappingFilePath.ToIdentifier(relativePath) + "Info";
        string content = text.ToString();

        try
        {
            using JsonDocument document = JsonDocument.Parse(content, s_options);
            JsonElement root = document.RootElement;
            int count = 0;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty _ in root.EnumerateObject())
                {
                    count++;
                }
            }

            return new Result<MappingFileInfo>(new MappingFileInfo(relativePath, typeName, count, IsValid: true));
        }
        catch (JsonException exception)
        {
            int offset = JsonPosition.ToCharacterOffset(content, exception.LineNumber, exception.BytePositionInLine);
            var span = new TextSpan(offset, offset < content.Length ? 1 : 0);
            DiagnosticInfo diagnostic = DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidJson,
                path,
                text,
                span,
                relativePath,
                JsonPosition.WithoutPositionSuffix(exception.Message));

            return new Result<MappingFileInfo>(
                new MappingFileInfo(relativePath, typeName, TopLevelPropertyCount: 0, IsValid: false),
                EquatableArray.Create(diagnostic));
        }
    }
}

/// <summary>Converts System.Text.Json error positions to positions in the source text.</summary>
internal static class JsonPosition
{
    /// <summary>
    /// The character offset in <paramref name="content"/> of a <see cref="JsonException"/> position.
    /// </summary>
    /// <remarks>
    /// System.Text.Json counts lines by <c>\n</c> only (0-based) and columns in UTF-8 bytes (0-based).
    /// Lines are therefore found here by <c>\n</c>, not by <see cref="SourceText.Lines"/> (which also
    /// breaks at a lone <c>\r</c> and at U+2028/U+2029/U+0085), and bytes are walked back to characters
    /// so that non-ASCII text before the error does not shift the column.
    /// </remarks>
    public static int ToCharacterOffset(string content, long? lineNumber, long? bytePositionInLine)
    {
        int lineStart = 0;
        for (long line = 0; line < (lineNumber ?? 0); line++)
        {
            int newline = content.IndexOf('\n', lineStart);
            if (newline < 0)
            {
                return content.Length;
            }

            lineStart = newline + 1;
        }

        long bytesToSkip = bytePositionInLine ?? 0;
        int offset = lineStart;
        while (bytesToSkip > 0 && offset < content.Length)
        {
            char c = content[offset];
            if (char.IsHighSurrogate(c) && offset + 1 < content.Length && char.IsLowSurrogate(content[offset + 1]))
            {
                bytesToSkip -= 4;
                offset += 2;
            }
            else
            {
                bytesToSkip -= c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                offset++;
            }
        }

        return Math.Min(offset, content.Length);
    }

    /// <summary>
    /// The reason alone: drops System.Text.Json's 0-based " LineNumber: n | BytePositionInLine: n."
    /// suffix (the diagnostic's location says it better), its advice to the programmer
    /// ("Change the reader options."), which means nothing to the author of a mapping file, and the
    /// final period.
    /// </summary>
    public static string WithoutPositionSuffix(string message)
    {
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string reason = suffix < 0 ? message : message.Substring(0, suffix);
        return reason.Replace(" Change the reader options.", string.Empty).TrimEnd().TrimEnd('.');
    }
}
